import test from 'ava';
import type { ControllerNode } from '../../engine/controller/controller-node.ts';
import { Cluster } from '../../sim/cluster.ts';
import { Simulation } from '../../sim/simulation.ts';

test('the active controller is the live one that leads in the highest epoch, not an isolated former leader', (t) => {
  const sim = new Simulation({ seed: 6 });
  const cluster = new Cluster(sim, { brokers: 1, controllers: 3 });
  cluster.start([]);
  const isolated = cluster.activeController()!;
  t.is(isolated, 'controller-101', 'the first of the quorum leads under this seed');
  sim.isolate(isolated);
  const node = (name: string): ControllerNode => sim.handlers(name) as ControllerNode;
  const successor = (): string | undefined => cluster.controllerNodes.find((name) => name !== isolated && node(name).controller.isActive());
  const deadline = sim.now() + 20_000;
  while (successor() === undefined && sim.now() < deadline) sim.runFor(10);
  t.truthy(successor(), 'another controller took over');
  t.true(node(isolated).raft.isLeader(), 'while the isolated one still believes it leads, in an older epoch');
  t.is(cluster.activeController(), successor());
});
