// The verdict of a run against its expectation when a checker could not judge it: not judged is never passed.
import test from 'ava';
import type { NotJudged } from '../../sim/checkers/anomaly.ts';
import { judgeRun } from '../../sim/run.ts';

const UNAVAILABLE: NotJudged = { checker: 'unavailable', why: 'the run ended before the availability window closed' };

test('a run with no anomaly is not ok when a checker it needs did not judge it', (t) => {
  t.deepEqual(judgeRun('no-anomalies', new Set(), [UNAVAILABLE]), {
    ok: false,
    why: 'no anomaly, as expected, but not judged: unavailable (the run ended before the availability window closed)',
  });
  t.deepEqual(judgeRun('no-anomalies', new Set()), { ok: true, why: 'no anomaly, as expected' });
});

test('a checker whose kind the expectation allows anyway may go unjudged; the verdict still says so', (t) => {
  const expected = { shows: ['lost-write' as const], mayShow: ['unavailable' as const] };
  t.deepEqual(judgeRun(expected, new Set(['lost-write'] as const), [UNAVAILABLE]), {
    ok: true,
    why: 'shows lost-write, as expected; not judged, allowed by the expectation: unavailable (the run ended before the availability window closed)',
  });
  const swarm = { mayShow: [], find: ['unavailable' as const] };
  t.true(judgeRun(swarm, new Set(), [UNAVAILABLE]).ok);
  t.false(judgeRun({ mayShow: [], find: ['lost-write' as const] }, new Set(), [UNAVAILABLE]).ok);
});

test('a failing verdict lists what was not judged, checkers grouped by reason', (t) => {
  const why = 'the run stopped';
  const verdict = judgeRun('no-anomalies', new Set(['invariant'] as const), [{ checker: 'lost-write', why }, { checker: 'duplicate', why }, UNAVAILABLE]);
  t.false(verdict.ok);
  t.is(verdict.why, 'expected no anomaly, found invariant; not judged: lost-write, duplicate (the run stopped); unavailable (the run ended before the availability window closed)');
});
