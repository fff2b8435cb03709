// Value tick labels: "0", "250", "1.5k", "2M" — SI prefixes only from a thousand up, so small figures such as
// latencies in ms never read as "500m".

import { format } from 'd3';

const si = format('~s');
const plain = format('~g');

export function compactTick(value: number | { valueOf(): number }): string {
  const v = Number(value);
  return Math.abs(v) >= 1000 ? si(v) : plain(v);
}
