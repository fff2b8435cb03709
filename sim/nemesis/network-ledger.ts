// Overlapping network faults, each removable on its own.
//
// The network keeps one setting per direction (blocked, a loss probability, an extra latency); two faults may
// touch the same direction (a packet-loss during a split). The ledger keeps every active fault's effect per
// direction and writes the combination to the network whenever one starts or ends: blocked if any fault
// blocks it, lost with 1 - prod(1 - p), extra latencies summed. So a fault's end removes exactly its own
// effect. The ledger only writes directions that some nemesis fault touched.

import type { NodeId } from '../../engine/runtime.ts';
import type { SimNetwork } from '../network.ts';

/** One fault's effect on one direction of the network. */
export interface LinkEffect {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly block?: boolean;
  readonly lossProbability?: number;
  readonly extraLatencyMs?: number;
}

interface DirectionState {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly effects: LinkEffect[];
  /** What the ledger last wrote, so that it never undoes a setting it did not make. */
  blocked: boolean;
  lossProbability: number;
  extraLatencyMs: number;
}

export class NetworkLedger {
  private readonly directions = new Map<string, DirectionState>();

  constructor(private readonly network: SimNetwork) {}

  /** Applies one fault's effects; the same objects must be given to `remove`. */
  add(effects: readonly LinkEffect[]): void {
    for (const effect of effects) {
      const state = this.state(effect.from, effect.to);
      state.effects.push(effect);
      this.write(state);
    }
  }

  /** Removes the effects that `add` applied, leaving other faults' effects in place. */
  remove(effects: readonly LinkEffect[]): void {
    for (const effect of effects) {
      const state = this.state(effect.from, effect.to);
      const index = state.effects.indexOf(effect);
      if (index < 0) continue;
      state.effects.splice(index, 1);
      this.write(state);
    }
  }

  private state(from: NodeId, to: NodeId): DirectionState {
    const key = `${from}\n${to}`;
    let state = this.directions.get(key);
    if (state === undefined) {
      state = { from, to, effects: [], blocked: false, lossProbability: 0, extraLatencyMs: 0 };
      this.directions.set(key, state);
    }
    return state;
  }

  private write(state: DirectionState): void {
    let blocked = false;
    let delivered = 1;
    let extraLatencyMs = 0;
    for (const effect of state.effects) {
      if (effect.block === true) blocked = true;
      if (effect.lossProbability !== undefined) delivered *= 1 - effect.lossProbability;
      if (effect.extraLatencyMs !== undefined) extraLatencyMs += effect.extraLatencyMs;
    }
    const lossProbability = state.effects.length === 0 ? 0 : 1 - delivered;
    const network = this.network;
    // Written whenever they matter, not only on change: sim.heal() may have cleared them behind our back.
    if (blocked) {
      if (!network.isBlocked(state.from, state.to)) network.block(state.from, state.to);
    } else if (state.blocked) {
      network.unblock(state.from, state.to);
    }
    state.blocked = blocked;
    if (lossProbability > 0 || state.lossProbability > 0) network.setLoss(state.from, state.to, lossProbability);
    state.lossProbability = lossProbability;
    if (extraLatencyMs > 0 || state.extraLatencyMs > 0) network.setExtraLatency(state.from, state.to, extraLatencyMs);
    state.extraLatencyMs = extraLatencyMs;
  }
}
