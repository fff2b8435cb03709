// Judging a position against the leader's answer for its epoch (OffsetsForLeaderEpoch, or a fetch answer's
// divergingEpoch, KIP-320), on the consumer's positions alone.
import test from 'ava';
import { ConsumerPositions } from '../../engine/client/consumer-positions.ts';
import type { ConsumerContext } from '../../engine/client/consumer-context.ts';
import type { TruncationEvent } from '../../engine/client/consumer-types.ts';
import { PartitionState, type FetchPosition } from '../../engine/client/subscription-state.ts';

function positionsFor(state: PartitionState, truncations: TruncationEvent[]): ConsumerPositions {
  const context = {
    runtime: { trace: () => {} },
    listener: { onRecords: () => {}, onTruncation: (event: TruncationEvent) => truncations.push(event) },
    resetPolicy: 'earliest',
    state: (key: string) => (key === state.key ? state : undefined),
  } as unknown as ConsumerContext;
  return new ConsumerPositions(context);
}

function validating(position: FetchPosition): PartitionState {
  const state = new PartitionState('orders', 4, 'orders-4');
  state.seekUnvalidated(position);
  return state;
}

const POSITION: FetchPosition = { offset: 1670, offsetEpoch: 3, leaderId: 3, leaderEpoch: 6 };

test('a leader whose log has no record of the position\'s epoch, but an earlier epoch ending past it, accepts the position under its own epoch', (t) => {
  // After every replica lost power, the new leader's log runs in epoch 0 up to 1736: it never had epoch 3.
  const state = validating(POSITION);
  const truncations: TruncationEvent[] = [];
  positionsFor(state, truncations).completeValidation(state, POSITION, 0, 1736);
  t.is(state.state, 'fetching');
  t.deepEqual(state.position, { ...POSITION, offsetEpoch: 0 }, 'the next fetch names an epoch the leader has, so it is not told of a divergence again');
  t.deepEqual(truncations, []);
});

test('an answer for the position\'s own epoch ending past it leaves the position as it was', (t) => {
  const state = validating(POSITION);
  positionsFor(state, []).completeValidation(state, POSITION, 3, 1800);
  t.is(state.state, 'fetching');
  t.is(state.position, POSITION);
});

test('an epoch ending below the position is a truncation, and reading resumes where it ends', (t) => {
  const state = validating(POSITION);
  const truncations: TruncationEvent[] = [];
  positionsFor(state, truncations).completeValidation(state, POSITION, 2, 1500);
  t.deepEqual(state.position, { ...POSITION, offset: 1500, offsetEpoch: 2 });
  t.like(truncations[0], { position: 1670, endOffset: 1500, endEpoch: 2, resumeFrom: 1500 });
});
