// The catalogue's stories inject their faults through the nemesis, so result.json's `faults` (the report's
// fault lane) holds every one of them.
import test from 'ava';
import { catalogueScenario } from '../../scenarios/index.ts';
import { runScenario } from '../../sim/run.ts';

function faultsOf(name: string): string[] {
  const scenario = catalogueScenario(name)!;
  const result = runScenario(scenario, scenario.defaultSeed ?? 1, { mode: 'scenario', source: name });
  return result.faults.map((fault) => `${fault.kind} ${fault.nodes.join(',')}${fault.endMs === null ? ' (open)' : ''}`);
}

test('the slow follower\'s slow link is on the fault lane', (t) => {
  const faults = faultsOf('slow-follower-shrinks-and-expands-the-isr');
  t.is(faults.length, 1);
  t.regex(faults[0]!, /^slow-link broker-\d,broker-\d$/);
});

test('each broker\'s controlled shutdown in the rolling restart is on the fault lane', (t) => {
  t.deepEqual(faultsOf('rolling-restart-under-load'), ['broker-1', 'broker-2', 'broker-3'].map((broker) => `controlled-shutdown ${broker}`));
});
