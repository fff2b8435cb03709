// ListOffsets and OffsetsForLeaderEpoch: per-partition lookups answered by the partition's leader.
//
// ListOffsets from a consumer (replicaId -1) sees the log up to the high watermark; from a replica (its
// broker id, or -2 for Kafka's debugging tools) the whole log. Both fence a stale or future
// currentLeaderEpoch as a fetch does.

import { HEADER_BYTES, PARTITION_ENTRY_BYTES } from '../protocol/envelope.ts';
import type { ListOffsetsPartitionResponse, ListOffsetsRequest, ListOffsetsResponse } from '../protocol/list-offsets.ts';
import type { EpochEndOffsetResponse, OffsetsForLeaderEpochRequest, OffsetsForLeaderEpochResponse } from '../protocol/offsets-for-leader-epoch.ts';
import type { PartitionLookup } from '../replication/fetch-reader.ts';
import { fetchOffsetForTimestamp, lastOffsetForLeaderEpoch } from '../replication/offset-lookups.ts';

const CONSUMER = -1;

export function answerListOffsets(request: ListOffsetsRequest, replicas: PartitionLookup): ListOffsetsResponse {
  let entries = 0;
  const fromReplica = request.replicaId !== CONSUMER;
  const topics = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((asked): ListOffsetsPartitionResponse => {
      entries++;
      const found = replicas.lookup(topic.name, asked.partitionIndex);
      if (typeof found === 'number') return { partitionIndex: asked.partitionIndex, errorCode: found, timestamp: -1, offset: -1, leaderEpoch: -1 };
      return { partitionIndex: asked.partitionIndex, ...fetchOffsetForTimestamp(found, asked.timestamp, asked.currentLeaderEpoch, fromReplica) };
    }),
  }));
  return { type: 'ListOffsetsResponse', sizeBytes: HEADER_BYTES + entries * PARTITION_ENTRY_BYTES, correlationId: request.correlationId, topics };
}

export function answerOffsetsForLeaderEpoch(request: OffsetsForLeaderEpochRequest, replicas: PartitionLookup): OffsetsForLeaderEpochResponse {
  let entries = 0;
  const topics = request.topics.map((topic) => ({
    topic: topic.topic,
    partitions: topic.partitions.map((asked): EpochEndOffsetResponse => {
      entries++;
      const found = replicas.lookup(topic.topic, asked.partition);
      if (typeof found === 'number') return { errorCode: found, partition: asked.partition, leaderEpoch: -1, endOffset: -1 };
      return { partition: asked.partition, ...lastOffsetForLeaderEpoch(found, asked.currentLeaderEpoch, asked.leaderEpoch) };
    }),
  }));
  return { type: 'OffsetsForLeaderEpochResponse', sizeBytes: HEADER_BYTES + entries * PARTITION_ENTRY_BYTES, correlationId: request.correlationId, topics };
}
