// A scenario whose story breaks an engine invariant on purpose: at 2 s the leader of orders-0 is made to
// throw InvariantViolation on the next FetchRequest a follower sends it, inside that broker's own event, as
// an assertion in the engine would. For tests of how a run, a swarm seed and the CLI end on a broken invariant.
import { InvariantViolation } from '../../engine/invariants.ts';
import { defineScenario } from '../../sim/scenario.ts';
import type { Cluster } from '../../sim/cluster.ts';
import type { ScriptContext } from '../../sim/script.ts';

export const BROKEN_DETAIL = 'high watermark 12 outside [log start 0, log end 9] (provoked by the test)';

function breakOnNextFetch(ctx: ScriptContext): void {
  const leader = ctx.leaderOf('orders', 0);
  // Test-only: a story may not touch nodes; this one reaches past the API on purpose, to plant the fault.
  const node = (ctx as unknown as { readonly cluster: Cluster }).cluster.broker(leader)!;
  const handle = node.onMessage.bind(node);
  node.onMessage = (from, message) => {
    if (message.type === 'FetchRequest' && from.startsWith('broker-')) throw new InvariantViolation('high-watermark-within-log', 'orders-0', BROKEN_DETAIL);
    handle(from, message);
  };
}

export const INVARIANT_SCENARIO = defineScenario({
  name: 'broken-invariant-test-scenario',
  summary: 'a test scenario whose leader breaks an invariant on purpose',
  teaching: 'A test scenario. At 2 s the leader of orders-0 is made to break an invariant on the next fetch of a follower.',
  cluster: { brokers: 3, controllers: 1 },
  topic: { name: 'orders', partitions: 2, replicationFactor: 3 },
  config: { broker: { 'min.insync.replicas': 2 }, producer: { acks: 'all', 'enable.idempotence': true } },
  workload: { producers: [{ ratePerSec: 100 }], consumers: 1 },
  faults: { steps: [{ label: 'make the leader of orders-0 break an invariant on its next follower fetch', atMs: 2_000, do: breakOnNextFetch }] },
  phases: { faultsMs: 5_000, livenessMs: 5_000, quiesceMs: 2_000 },
  expect: 'no-anomalies',
});
