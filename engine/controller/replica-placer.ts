// Where a new topic's replicas go: Kafka's StripedReplicaPlacer, re-expressed.
//
// Racks are visited round-robin, and so are the brokers inside each rack, so that replicas spread first across
// racks, then across brokers, and leaders (the first replica) spread across brokers too. Each partition starts
// one rack further than the previous one, which gives the "striped" pattern:
//
//   racks A, B, C with brokers A0..A2, B0..B2, C0..C2 and all offsets 0:
//     partition 0: A0 B0 C0     partition 1: B1 C1 A1     partition 2: C2 A2 B2
//
// Rack and broker lists start at random offsets (draws from the controller's random stream), and once as many
// partitions as there are unfenced brokers were placed, racks and brokers are shuffled, so that the next round
// does not repeat the same replica sets. Unfenced brokers are used before fenced ones; a leader is always
// unfenced. A broker is never used twice in one partition.

/** A broker that may receive replicas; fenced ones only when the unfenced ones run out. */
export interface UsableBroker {
  readonly id: number;
  readonly rack: string | null;
  readonly fenced: boolean;
}

/** The replication factor cannot be met (Kafka answers INVALID_REPLICATION_FACTOR). */
export class ReplicaPlacementError extends Error {
  override readonly name = 'ReplicaPlacementError';
}

/** A uniform draw in [0, 1), such as Runtime.random. */
export type RandomSource = () => number;

/** Replica lists, one per partition, leader first. */
export function placeReplicas(
  brokers: readonly UsableBroker[],
  numPartitions: number,
  replicationFactor: number,
  random: RandomSource,
): number[][] {
  const racks = new RackRing(brokers, random);
  racks.check(replicationFactor);
  const placements: number[][] = [];
  for (let partition = 0; partition < numPartitions; partition++) placements.push(racks.place(replicationFactor));
  return placements;
}

function randomInt(random: RandomSource, bound: number): number {
  return Math.floor(random() * bound);
}

function shuffle<T>(items: T[], random: RandomSource): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
}

/**
 * Brokers handed out round-robin. Each round (a new `round` number) starts one place further than the last
 * and returns every broker at most once.
 */
class BrokerCycle {
  readonly ids: number[] = [];
  private start = 0;
  private taken = 0;
  private round = 0;

  randomiseStart(random: RandomSource): void {
    this.ids.sort((a, b) => a - b);
    if (this.ids.length > 0) this.start = randomInt(random, this.ids.length);
  }

  /** The next broker of `round`, or -1 if this round has used them all. */
  next(round: number): number {
    const size = this.ids.length;
    if (size === 0) return -1;
    if (round !== this.round) {
      this.round = round;
      this.taken = 0;
      this.start = (this.start + 1) % size;
    }
    if (this.taken >= size) return -1;
    return this.ids[(this.start + this.taken++) % size];
  }
}

class Rack {
  readonly unfenced = new BrokerCycle();
  readonly fenced = new BrokerCycle();

  /** Any broker of the round, unfenced ones first. */
  next(round: number): number {
    const id = this.unfenced.next(round);
    return id >= 0 ? id : this.fenced.next(round);
  }
}

class RackRing {
  private readonly racks = new Map<string | null, Rack>();
  private readonly order: Array<string | null> = [];
  private readonly totalBrokers: number;
  private readonly unfencedBrokers: number;
  private round = 0;
  private offset: number;

  constructor(brokers: readonly UsableBroker[], private readonly random: RandomSource) {
    let unfenced = 0;
    for (const broker of brokers) {
      let rack = this.racks.get(broker.rack);
      if (rack === undefined) {
        rack = new Rack();
        this.racks.set(broker.rack, rack);
        this.order.push(broker.rack);
      }
      (broker.fenced ? rack.fenced : rack.unfenced).ids.push(broker.id);
      if (!broker.fenced) unfenced++;
    }
    this.totalBrokers = brokers.length;
    this.unfencedBrokers = unfenced;
    // Sorted names (no rack first) so that the placement depends on the brokers, not on the order given.
    this.order.sort((a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1));
    for (const name of this.order) {
      const rack = this.racks.get(name)!;
      rack.fenced.randomiseStart(random);
      rack.unfenced.randomiseStart(random);
    }
    this.offset = this.order.length === 0 ? 0 : randomInt(random, this.order.length);
  }

  check(replicationFactor: number): void {
    if (!Number.isInteger(replicationFactor) || replicationFactor <= 0) {
      throw new ReplicaPlacementError(`Invalid replication factor ${replicationFactor}: the replication factor must be positive.`);
    }
    if (this.unfencedBrokers === 0) throw new ReplicaPlacementError('All brokers are currently fenced.');
    if (replicationFactor > this.totalBrokers) {
      throw new ReplicaPlacementError(`The target replication factor of ${replicationFactor} cannot be reached because only ${this.totalBrokers} broker(s) are registered.`);
    }
  }

  place(replicationFactor: number): number[] {
    if (this.round === this.unfencedBrokers && this.unfencedBrokers > 1) {
      this.reshuffle();
      this.round = 0;
    }
    if (this.offset >= this.order.length) this.offset = 0;
    const replicas: number[] = [];
    // The leader: the first unfenced broker from the starting rack on.
    let leaderRack = this.offset;
    for (;;) {
      const id = this.rackAt(leaderRack).unfenced.next(this.round);
      if (id >= 0) {
        replicas.push(id);
        break;
      }
      leaderRack = (leaderRack + 1) % this.order.length;
    }
    // Followers: one per rack from the starting rack on, passing over the leader's rack the first time.
    let rackIndex = this.offset;
    let skipRack = leaderRack;
    while (replicas.length < replicationFactor) {
      let id = -1;
      if (rackIndex === skipRack) skipRack = -1;
      else id = this.rackAt(rackIndex).next(this.round);
      rackIndex = (rackIndex + 1) % this.order.length;
      if (id >= 0) replicas.push(id);
    }
    this.round++;
    this.offset++;
    return replicas;
  }

  private rackAt(index: number): Rack {
    return this.racks.get(this.order[index])!;
  }

  private reshuffle(): void {
    shuffle(this.order, this.random);
    for (const rack of this.racks.values()) {
      shuffle(rack.unfenced.ids, this.random);
      shuffle(rack.fenced.ids, this.random);
    }
  }
}
