// The anomaly kinds in the order reports list them, each with a sentence for a student, and how an
// expectation and a set of counts read in words.

import type { AnomalyKind } from '../sim/checkers/anomaly.ts';
import type { RunResult } from '../sim/result.ts';

/** What each kind means, in plain words (the checkers' files hold the exact rules). */
export const KIND_TEXT: Readonly<Record<AnomalyKind, string>> = {
  invariant:
    'The engine broke one of its own invariants while handling an event: the run stopped there, and nothing after it could be judged.',
  'lost-write':
    'A record the cluster acknowledged, or that a consumer already read, is missing from the final committed log: a promise was broken.',
  duplicate: 'One record sits at two offsets: it was appended twice, typically by a producer retry without idempotence.',
  'inconsistent-offsets':
    'Observers disagree about one offset: an acknowledgement, a poll or the final log saw different records there.',
  'nonmonotonic-send': "One producer's acknowledged records landed in the log in a different order than it sent them.",
  'poll-skip': 'A consumer moved past offsets that are known to hold records without ever reading them.',
  'nonmonotonic-poll': 'A consumer read backwards, or read an offset twice, without seeking there.',
  'aborted-read': 'A record whose send was reported as failed was read anyway, or is in the final log.',
  'phantom-record': 'A record appeared that no producer ever sent: corruption or invention.',
  divergence: 'Two replicas hold different records below the high watermark, where both count the log as committed.',
  'hw-regression': 'The high watermark went backwards where Kafka does not allow it, un-committing what readers may have seen.',
  unavailable:
    'The partition made no progress within the bound after the faults healed (or, in a run without faults, after the cluster was ready): sends or polls stayed stuck.',
  'under-replicated':
    "After the heal and the quiesce, with every broker up, the partition's ISR still lacks some of its replicas: redundancy was lost and not regained.",
};

/** Every kind, in report order. */
export const KINDS = Object.keys(KIND_TEXT) as AnomalyKind[];

/** Kinds of a count map in report order, then any unknown kinds in name order (a newer result format). */
export function kindsOf(counts: Readonly<Partial<Record<string, number>>>): string[] {
  const known = KINDS.filter((kind) => (counts[kind] ?? 0) > 0);
  const unknown = Object.keys(counts).filter((kind) => !(kind in KIND_TEXT) && (counts[kind] ?? 0) > 0).sort();
  return [...known, ...unknown];
}

/** "lost-write ×3, poll-skip ×1", or "none". */
export function countsText(counts: Readonly<Partial<Record<string, number>>>): string {
  const kinds = kindsOf(counts);
  return kinds.length === 0 ? 'none' : kinds.map((kind) => `${kind} ×${counts[kind]}`).join(', ');
}

/** An expectation in words. */
export function expectedText(expected: RunResult['expected']): string {
  if (expected === 'no-anomalies') return 'no anomalies';
  if ('shows' in expected) {
    const may = expected.mayShow && expected.mayShow.length > 0 ? `; may also show ${expected.mayShow.join(', ')}` : '';
    return `shows ${expected.shows.join(', ')}${may}`;
  }
  const may = expected.mayShow.length > 0 ? `each seed may show ${expected.mayShow.join(', ')}` : 'each seed shows no anomaly';
  const find = expected.find.length > 0 ? `; some seed must show ${expected.find.join(', ')}` : '';
  return `${may}${find}`;
}

/** Whether a kind is one the expectation names (shown, allowed or to find). */
export function expectedKinds(expected: RunResult['expected']): Set<string> {
  if (expected === 'no-anomalies') return new Set();
  if ('shows' in expected) return new Set([...expected.shows, ...(expected.mayShow ?? [])]);
  return new Set([...expected.mayShow, ...expected.find]);
}
