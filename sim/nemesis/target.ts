// Fault targets: a small grammar naming nodes or roles, resolved when the fault starts.
//
//   broker-2                 one node
//   broker-1,controller-102  several (any terms below, comma-separated; duplicates count once)
//   brokers | controllers    every broker, every controller
//   leader:orders-0          whoever leads partition 0 of topic orders at that instant
//   active-controller        the leader of the metadata quorum at that instant
//
// A role that resolves to nobody (no leader right now) leaves the fault with no node: it is skipped, not an
// error. A name that is not a node is an error, found before the run starts.

import type { NodeId } from '../../engine/runtime.ts';
import { NemesisError } from './error.ts';

/** What the nemesis asks the cluster when a fault starts. */
export interface FaultTargets {
  /** Every broker node, in a fixed order. */
  brokers(): readonly NodeId[];
  /** Every controller node, in a fixed order. */
  controllers(): readonly NodeId[];
  /** The broker that leads the partition now, if any. */
  leaderOf(topic: string, partition: number): NodeId | undefined;
  /** The controller that leads the metadata quorum now, if any. */
  activeController(): NodeId | undefined;
  /**
   * Begins a controlled shutdown of `node` and calls `exit` once it has finished (the process may exit then);
   * false if the node has none (only brokers do). Without this method, controlled-shutdown faults are skipped.
   */
  controlledShutdown?(node: NodeId, exit: () => void): boolean;
}

export type TargetTerm =
  | { readonly kind: 'node'; readonly node: NodeId }
  | { readonly kind: 'brokers' }
  | { readonly kind: 'controllers' }
  | { readonly kind: 'leader'; readonly topic: string; readonly partition: number }
  | { readonly kind: 'active-controller' };

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const LEADER_PREFIX = 'leader:';

/** The target naming the leader of a partition: `leader:orders-0`. */
export function leaderTarget(topic: string, partition: number): string {
  return `${LEADER_PREFIX}${topic}-${partition}`;
}

/**
 * Parses a target into its terms; a NemesisError naming `field` if it is malformed. With `nodes`, a node name
 * must be one of them.
 */
export function parseTarget(target: string, field: string, nodes?: readonly NodeId[]): TargetTerm[] {
  const texts = target.split(',').map((text) => text.trim());
  const example = 'e.g. broker-2, broker-1,broker-3, brokers, controllers, leader:orders-0 or active-controller';
  if (target.trim() === '' || texts.some((text) => text === '')) {
    throw new NemesisError(`${field}: ${JSON.stringify(target)} names no node; ${example}`);
  }
  return texts.map((text) => parseTerm(text, field, nodes, example));
}

function parseTerm(text: string, field: string, nodes: readonly NodeId[] | undefined, example: string): TargetTerm {
  if (text === 'brokers') return { kind: 'brokers' };
  if (text === 'controllers') return { kind: 'controllers' };
  if (text === 'active-controller') return { kind: 'active-controller' };
  if (text.startsWith(LEADER_PREFIX)) {
    const name = text.slice(LEADER_PREFIX.length);
    const dash = name.lastIndexOf('-');
    const topic = name.slice(0, dash);
    const partitionText = name.slice(dash + 1);
    if (dash <= 0 || !TOPIC_NAME.test(topic) || !/^(0|[1-9][0-9]*)$/.test(partitionText)) {
      throw new NemesisError(`${field}: ${JSON.stringify(text)} is not leader:TOPIC-PARTITION (e.g. leader:orders-0)`);
    }
    return { kind: 'leader', topic, partition: Number(partitionText) };
  }
  if (!NODE_NAME.test(text)) throw new NemesisError(`${field}: ${JSON.stringify(text)} is not a node name or a role; ${example}`);
  if (nodes !== undefined && !nodes.includes(text)) {
    throw new NemesisError(`${field}: there is no node named ${text}; nodes are ${nodes.join(', ')}`);
  }
  return { kind: 'node', node: text };
}

/** The nodes a target names now, in the order named, each once; empty when its roles have nobody now. */
export function resolveTarget(target: string, targets: FaultTargets): NodeId[] {
  const resolved: NodeId[] = [];
  const add = (node: NodeId | undefined): void => {
    if (node !== undefined && !resolved.includes(node)) resolved.push(node);
  };
  for (const term of parseTarget(target, 'target')) {
    switch (term.kind) {
      case 'node':
        add(term.node);
        break;
      case 'brokers':
        targets.brokers().forEach(add);
        break;
      case 'controllers':
        targets.controllers().forEach(add);
        break;
      case 'leader':
        add(targets.leaderOf(term.topic, term.partition));
        break;
      case 'active-controller':
        add(targets.activeController());
        break;
    }
  }
  return resolved;
}
