// A piscina task: runs the gossip world in a worker thread, so a test can compare its hash with the main thread's.
import { runGossipWorld } from './gossip-world.ts';

export default function gossipTask({ seed, durationMs }: { seed: number; durationMs: number }): string {
  return runGossipWorld(seed, durationMs).traceHash;
}
