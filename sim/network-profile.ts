// Network profiles: how fast, how far and how patient the simulated network is.
//
// A profile names one kind of network (a 10 Gbit/s LAN, a cloud availability zone, ...). Latency is the one-way
// propagation and stack delay of a message; transmission time (size / bandwidth) comes on top of it and is
// charged by the sender's NIC. Retransmission and timeout settings follow Linux TCP, so that partitions and
// packet loss stall a connection the way they stall a real one.

import type { RandomStream } from './random.ts';
import { NetworkError } from './network-error.ts';

/** One-way latency of a message, not counting its transmission time. */
export type LatencyModel =
  | { readonly kind: 'constant'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  /** Log-normal: the usual shape of measured latencies, a firm body and a long right tail. */
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly sigma: number };

export interface NetworkProfile {
  readonly name: string;
  readonly latency: LatencyModel;
  /** Egress rate of each node's NIC, in bytes per millisecond (1 Gbit/s = 125 000). */
  readonly bandwidthBytesPerMs: number;
  /** First retransmission timeout after a loss or a blocked path; Linux's TCP_RTO_MIN is 200 ms. */
  readonly minRtoMs: number;
  /** The retransmission timeout doubles per retry up to this; Linux's TCP_RTO_MAX is 120 s. */
  readonly maxRtoMs: number;
  /** How long a connection retransmits without success before it gives up and resets (as TCP_USER_TIMEOUT
   *  would; Kafka's request.timeout.ms and replica.socket.timeout.ms are 30 s too). */
  readonly connectionTimeoutMs: number;
}

/** Bytes per millisecond of a link of `gbits` Gbit/s. */
export function gbitPerSecond(gbits: number): number {
  return (gbits * 1e9) / 8 / 1000;
}

const TCP_TIMING = { minRtoMs: 200, maxRtoMs: 120_000, connectionTimeoutMs: 30_000 } as const;

/**
 * Presets. Latencies are one-way medians; round trips are twice that.
 * - lan-10g: one rack, 10 GbE, kernel TCP: RTT ~80 µs.
 * - lan-1g: 1 GbE office or lab LAN: RTT ~0.2 ms.
 * - cloud-az: two instances in one cloud availability zone, 10 Gbit/s NICs: RTT ~0.3 ms, noisier.
 * - cross-az: instances in different zones of one region: RTT ~1 ms, noisier still.
 */
export const NETWORK_PROFILES = {
  'lan-10g': {
    name: 'lan-10g',
    latency: { kind: 'lognormal', medianMs: 0.04, sigma: 0.25 },
    bandwidthBytesPerMs: gbitPerSecond(10),
    ...TCP_TIMING,
  },
  'lan-1g': {
    name: 'lan-1g',
    latency: { kind: 'lognormal', medianMs: 0.1, sigma: 0.25 },
    bandwidthBytesPerMs: gbitPerSecond(1),
    ...TCP_TIMING,
  },
  'cloud-az': {
    name: 'cloud-az',
    latency: { kind: 'lognormal', medianMs: 0.15, sigma: 0.5 },
    bandwidthBytesPerMs: gbitPerSecond(10),
    ...TCP_TIMING,
  },
  'cross-az': {
    name: 'cross-az',
    latency: { kind: 'lognormal', medianMs: 0.5, sigma: 0.5 },
    bandwidthBytesPerMs: gbitPerSecond(10),
    ...TCP_TIMING,
  },
} as const satisfies Record<string, NetworkProfile>;

export type NetworkProfileName = keyof typeof NETWORK_PROFILES;

export const DEFAULT_NETWORK_PROFILE: NetworkProfile = NETWORK_PROFILES['lan-10g'];

/** Draws one latency from `model`. Called once per message: no allocation, one or two draws. */
/** The middle of a latency model, without a draw (for modelled delays that should not consume randomness). */
export function typicalLatencyMs(model: LatencyModel): number {
  switch (model.kind) {
    case 'constant': return model.ms;
    case 'uniform': return (model.minMs + model.maxMs) / 2;
    case 'lognormal': return model.medianMs;
  }
}

export function drawLatencyMs(model: LatencyModel, random: RandomStream): number {
  switch (model.kind) {
    case 'constant':
      return model.ms;
    case 'uniform':
      return random.uniform(model.minMs, model.maxMs);
    case 'lognormal':
      return random.logNormal(model.medianMs, model.sigma);
  }
}

function requireNonNegative(what: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new NetworkError(`${what} must be a finite number >= 0, got ${value}`);
  }
}

function requirePositive(what: string, value: number): void {
  if (!(value > 0)) throw new NetworkError(`${what} must be a number > 0, got ${value}`);
}

/** Throws a NetworkError naming the first bad field of a latency model. */
export function validateLatencyModel(model: LatencyModel, where: string): void {
  switch (model.kind) {
    case 'constant':
      requireNonNegative(`${where}.ms`, model.ms);
      return;
    case 'uniform':
      requireNonNegative(`${where}.minMs`, model.minMs);
      requireNonNegative(`${where}.maxMs`, model.maxMs);
      if (model.maxMs < model.minMs) {
        throw new NetworkError(`${where}: maxMs (${model.maxMs}) is below minMs (${model.minMs})`);
      }
      return;
    case 'lognormal':
      requirePositive(`${where}.medianMs`, model.medianMs);
      requireNonNegative(`${where}.sigma`, model.sigma);
      return;
    default:
      throw new NetworkError(
        `${where}.kind must be 'constant', 'uniform' or 'lognormal', got ${JSON.stringify((model as { kind: unknown }).kind)}`,
      );
  }
}

/** Throws a NetworkError naming the first bad field of a profile. */
export function validateProfile(profile: NetworkProfile): void {
  const where = `network profile ${JSON.stringify(profile.name)}`;
  validateLatencyModel(profile.latency, `${where} latency`);
  requirePositive(`${where} bandwidthBytesPerMs`, profile.bandwidthBytesPerMs);
  requirePositive(`${where} minRtoMs`, profile.minRtoMs);
  if (!(profile.maxRtoMs >= profile.minRtoMs)) {
    throw new NetworkError(`${where}: maxRtoMs (${profile.maxRtoMs}) must be >= minRtoMs (${profile.minRtoMs})`);
  }
  requirePositive(`${where} connectionTimeoutMs`, profile.connectionTimeoutMs);
}
