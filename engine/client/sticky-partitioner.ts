// Where a producer puts records without a key: Kafka's built-in partitioner (KIP-794, Kafka 3.3+).
//
// Keyless records stick to one partition until about batch.size bytes went there, then the producer picks the
// next partition at random, so batches fill up instead of one record going to each partition in turn
// (KIP-480's goal) without KIP-480's flaw of switching on every new batch. The switch waits for the current
// batch to be full (or for 2 x batch.size bytes) so that switching does not leave a fractional batch behind.
// With partitioner.adaptive.partitioning.enable, the pick is weighted: a partition whose queue of unsent
// batches is shorter (its broker drains faster) is chosen more often, with weight maxQueue + 1 - queue,
// from the queue sizes the sender measured at its last pass. Only partitions with a leader are candidates
// (all partitions when none has one), less those whose leader partitioner.availability.timeout.ms rules out
// (see RecordAccumulator).

import type { TopicInfo } from './client-metadata.ts';

const TWO_POW_31 = 2 ** 31;

interface LoadStats {
  /** Cumulative weights, ascending; the last is the total. */
  readonly cumulative: readonly number[];
  readonly partitionIds: readonly number[];
}

export class StickyPartitioner {
  private current = -1;
  private producedBytes = 0;
  private loadStats: LoadStats | null = null;

  constructor(
    private readonly stickyBatchSize: number,
    private readonly random: () => number,
  ) {}

  /** The partition the next keyless record goes to. */
  partition(topic: TopicInfo): number {
    if (this.current < 0 || this.current >= topic.partitions.length) this.switchPartition(topic);
    return this.current;
  }

  /**
   * Counts bytes appended to the sticky partition and switches after stickyBatchSize of them, once the
   * partition's last batch is full (`batchFull`) or after twice that many bytes regardless.
   */
  onAppend(topic: TopicInfo, partition: number, appendedBytes: number, batchFull: boolean): void {
    if (partition !== this.current) return;
    this.producedBytes += appendedBytes;
    if ((this.producedBytes >= this.stickyBatchSize && batchFull) || this.producedBytes >= this.stickyBatchSize * 2) {
      this.switchPartition(topic);
    }
  }

  /**
   * Records queue lengths (batches waiting) of the partitions that have a leader. Equal queues over every
   * partition mean uniform choice, as in Kafka.
   */
  updateLoadStats(queueSizes: readonly number[], partitionIds: readonly number[], numPartitions: number): void {
    if (queueSizes.length === 0) {
      this.loadStats = null;
      return;
    }
    let max = queueSizes[0];
    let allEqual = true;
    for (const size of queueSizes) {
      if (size !== max) allEqual = false;
      if (size > max) max = size;
    }
    if (allEqual && queueSizes.length === numPartitions) {
      this.loadStats = null;
      return;
    }
    const cumulative: number[] = [];
    let total = 0;
    for (const size of queueSizes) {
      total += max + 1 - size;
      cumulative.push(total);
    }
    this.loadStats = { cumulative, partitionIds: [...partitionIds] };
  }

  private switchPartition(topic: TopicInfo): void {
    this.producedBytes = 0;
    this.current = this.nextPartition(topic);
  }

  private nextPartition(topic: TopicInfo): number {
    const random = Math.floor(this.random() * TWO_POW_31);
    const stats = this.loadStats;
    if (stats === null) {
      const available = topic.available;
      if (available.length > 0) return available[random % available.length];
      return random % topic.partitions.length;
    }
    const weighted = random % stats.cumulative[stats.cumulative.length - 1];
    // The first cumulative weight strictly greater than the draw.
    let low = 0;
    let high = stats.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (stats.cumulative[middle] > weighted) high = middle;
      else low = middle + 1;
    }
    return stats.partitionIds[low];
  }
}
