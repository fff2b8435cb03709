// A randomized fault run over whole brokers and a real KRaft controller, for the replication invariants:
// every acknowledged (acks=all) record stays at its offset, and replicas agree once the faults heal.

import { brokerNodeFactory } from '../../engine/broker/broker-node.ts';
import type { BrokerNode } from '../../engine/broker/broker-node.ts';
import { parseConfig } from '../../engine/config/parse.ts';
import type { ConfigOverrides } from '../../engine/config/types.ts';
import { ControllerNode } from '../../engine/controller/controller-node.ts';
import type { MetadataRecord } from '../../engine/metadata/records.ts';
import type { CreateTopicsRequest } from '../../engine/protocol/create-topics.ts';
import type { Response } from '../../engine/protocol/envelope.ts';
import { ErrorCode } from '../../engine/protocol/errors.ts';
import type { MetadataRequest, MetadataResponse } from '../../engine/protocol/metadata.ts';
import type { ProduceRequest, ProduceResponse } from '../../engine/protocol/produce.ts';
import { KafkaRaftClient } from '../../engine/raft/kafka-raft-client.ts';
import { parseRaftConfig } from '../../engine/raft/raft-config.ts';
import { readBatches } from '../../engine/records/read-batches.ts';
import type { Message, NodeHandlers, NodeId, Runtime } from '../../engine/runtime.ts';
import { Simulation } from '../../sim/simulation.ts';
import type { TraceListener } from '../../sim/trace.ts';
import { batchOf } from './replication-world.ts';

const VOTERS = '100@controller-100:9093';
const BROKERS = [1, 2, 3];

/** Produces one record at a time with acks=all to whoever the metadata says leads, and remembers the acks. */
class ChaosProducer implements NodeHandlers {
  readonly acked = new Map<number, string>();
  leader = -1;
  private inFlight: number | undefined;
  private nextCorrelationId = 1;
  private sequence = 0;
  private pending = new Map<number, { kind: 'produce' | 'metadata'; value?: string }>();

  constructor(private readonly runtime: Runtime) {
    const tick = (): void => {
      this.step();
      runtime.setTimer(20, tick);
    };
    runtime.setTimer(20, tick);
  }

  private send(to: NodeId, message: Omit<Message, never>, kind: 'produce' | 'metadata', value?: string): void {
    const correlationId = this.nextCorrelationId++;
    this.pending.set(correlationId, { kind, value });
    this.inFlight = correlationId;
    this.runtime.send(to, { ...message, correlationId, clientId: 'chaos' } as Message);
    const sentAt = correlationId;
    this.runtime.setTimer(3000, () => {
      if (this.inFlight === sentAt) this.inFlight = undefined;
    });
  }

  private step(): void {
    if (this.inFlight !== undefined) return;
    if (this.leader < 0) {
      const via = BROKERS[Math.floor(this.runtime.random() * BROKERS.length)];
      this.send(`broker-${via}`, { type: 'MetadataRequest', sizeBytes: 32, topics: ['orders'], allowAutoTopicCreation: false } as Omit<MetadataRequest, 'correlationId' | 'clientId'>, 'metadata');
      return;
    }
    const value = `v${this.sequence++}`;
    const batch = batchOf([value]);
    this.send(`broker-${this.leader}`, {
      type: 'ProduceRequest', sizeBytes: 64 + batch.length, acks: -1, timeoutMs: 2000,
      topicData: [{ topic: 'orders', partitions: [{ partition: 0, records: batch }] }],
    } as Omit<ProduceRequest, 'correlationId' | 'clientId'>, 'produce', value);
  }

  onMessage(_from: NodeId, message: Message): void {
    const response = message as Response;
    const pending = this.pending.get(response.correlationId);
    if (pending === undefined) return;
    this.pending.delete(response.correlationId);
    if (this.inFlight === response.correlationId) this.inFlight = undefined;
    if (pending.kind === 'metadata') {
      const partition = (message as MetadataResponse).topics[0]?.partitions[0];
      this.leader = partition?.leaderId ?? -1;
      return;
    }
    const result = (message as ProduceResponse).responses[0].partitions[0];
    if (result.errorCode === ErrorCode.NONE) {
      this.acked.set(result.baseOffset, pending.value as string);
      this.runtime.trace('chaos.acked', { value: pending.value as string, offset: result.baseOffset });
    }
    else this.leader = -1;
  }

  onConnectionReset(): void {
    this.inFlight = undefined;
    this.leader = -1;
  }
}

export interface ChaosResult {
  readonly acked: number;
  readonly lost: string[];
  readonly logs: string[][];
  readonly divergent: boolean;
  readonly traceHash: string;
}

export function runChaos(seed: number, durationMs: number, config: ConfigOverrides = {}, powerLoss = false, onTrace?: TraceListener): ChaosResult {
  const sim = new Simulation({ seed });
  if (onTrace !== undefined) sim.trace.onEvent(onTrace);
  const common = { 'controller.quorum.voters': VOTERS, 'replica.lag.time.max.ms': 2000, ...config };
  sim.addNode('controller-100', (runtime) => new ControllerNode(runtime, {
    raft: new KafkaRaftClient<MetadataRecord>(runtime, parseRaftConfig({ 'node.id': 100, 'controller.quorum.voters': VOTERS })),
    config: parseConfig('broker', { 'node.id': 100, 'process.roles': 'controller', ...common }),
    clusterId: 'chaos',
  }));
  for (const id of BROKERS) sim.addNode(`broker-${id}`, brokerNodeFactory({ clusterId: 'chaos', config: { 'node.id': id, 'process.roles': 'broker', ...common } }));
  sim.addNode('admin', (runtime) => ({
    onMessage: () => {},
    ...(() => {
      runtime.setTimer(4000, () => runtime.send('broker-1', {
        type: 'CreateTopicsRequest', sizeBytes: 64, correlationId: 1, clientId: 'admin', timeoutMs: 10_000, validateOnly: false,
        topics: [{ name: 'orders', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [{ name: 'min.insync.replicas', value: '2' }] }],
      } as CreateTopicsRequest));
      return {};
    })(),
  }));
  sim.addNode('producer', (runtime) => new ChaosProducer(runtime));
  const faults = sim.random.stream('chaos-faults');
  const nodes = BROKERS.map((id) => `broker-${id}`);
  for (let t = 8000; t < durationMs; t += 1500) {
    sim.runUntil(t);
    const target = faults.pick(nodes);
    const action = faults.int(0, 4);
    const down = nodes.filter((node) => sim.status(node) === 'crashed').length;
    if (action === 0 && sim.status(target) === 'up' && powerLoss && down === 0) sim.powerLoss(target);
    else if (action === 0 && sim.status(target) === 'up') sim.crash(target);
    else if (action === 1) sim.isolate(target);
    else if (action === 2) sim.partition([target], nodes.filter((n) => n !== target), { oneWay: true });
    else sim.heal();
    for (const node of nodes) if (sim.status(node) === 'crashed' && faults.chance(0.5)) sim.restart(node);
  }
  sim.heal();
  for (const node of nodes) if (sim.status(node) === 'crashed') sim.restart(node);
  sim.runUntil(durationMs + 40_000);
  const producer = sim.handlers('producer') as ChaosProducer;
  const logs = BROKERS.map((id) => valuesOf(sim.handlers(`broker-${id}`) as BrokerNode));
  const lost: string[] = [];
  for (const [offset, value] of producer.acked) {
    for (const log of logs) if (log[offset] !== value) lost.push(`${value}@${offset}`);
  }
  const divergent = logs.some((log) => log.join(',') !== logs[0].join(','));
  return { acked: producer.acked.size, lost, logs, divergent, traceHash: sim.traceHash() };
}

function valuesOf(node: BrokerNode): string[] {
  const replica = node.broker.replicaManager.partition('orders', 0);
  if (replica === undefined) return [];
  const values: string[] = [];
  let offset = replica.logStartOffset;
  while (offset < replica.logEndOffset) {
    const { bytes, nextOffset } = replica.log.read(offset, 1 << 20);
    if (nextOffset <= offset) break;
    for (const batch of readBatches(bytes)) for (const record of batch.records) values.push(new TextDecoder().decode(record.value ?? new Uint8Array()));
    offset = nextOffset;
  }
  return values;
}
