// Number and time formatting for reports. Deterministic on purpose: no locale (toLocaleString depends on the
// machine), fixed decimals, so the same result always prints the same bytes.

const DASH = '—';

/** 1234567 -> "1,234,567"; non-finite -> "—". Rounds to a whole number. */
export function formatInt(value: number): string {
  if (!Number.isFinite(value)) return DASH;
  const rounded = Math.round(value);
  const digits = String(Math.abs(rounded));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return rounded < 0 ? `-${grouped}` : grouped;
}

/** A figure with `decimals` places, thousands grouped: 1234.5 -> "1,234.5". */
export function formatFixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return DASH;
  const text = Math.abs(value).toFixed(decimals);
  const [whole, fraction] = text.split('.') as [string, string | undefined];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  // No "-0.0": a negative that rounds to zero prints as zero.
  const sign = value < 0 && /[1-9]/.test(text) ? '-' : '';
  return fraction === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${fraction}`;
}

/** A latency or duration in ms, with precision that suits its size: "0.84 ms", "12.3 ms", "1,204 ms". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return DASH;
  const abs = Math.abs(ms);
  const decimals = abs < 10 ? 2 : abs < 100 ? 1 : 0;
  return `${formatFixed(ms, decimals)} ms`;
}

/** A moment of simulated time (ms since the start) in seconds: "12.345 s". */
export function formatTime(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return DASH;
  return `${formatFixed(ms / 1000, 3)} s`;
}

/** A rate with up to one decimal: "1,234.5". */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return DASH;
  return formatFixed(perSec, Math.abs(perSec) < 1000 ? 1 : 0);
}

/** Bytes in SI units: "812 B", "1.23 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return DASH;
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${formatInt(value)} B` : `${value.toFixed(2)} ${units[unit]}`;
}

/** An option, detail or set value as text. */
export function formatValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : DASH;
  return String(value);
}

/** Seconds for wall-clock figures (swarm pages only). */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return DASH;
  return `${formatFixed(seconds, seconds < 10 ? 2 : 1)} s`;
}

/** A long span of simulated time: seconds, then minutes, then hours ("38.6 h"). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return DASH;
  if (ms < 100_000) return formatTime(ms);
  if (ms < 2 * 3_600_000) return `${formatFixed(ms / 60_000, 1)} min`;
  return `${formatFixed(ms / 3_600_000, 1)} h`;
}
