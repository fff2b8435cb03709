// Live progress: on a terminal, one line rewritten in place that fits the terminal's width (a line that wraps
// cannot be rewritten: each update would leave a line behind); elsewhere (CI, pipes) a plain line every few
// seconds, whole.

/** One part of a progress line. When the line is too wide, parts go in order of rank, the highest first. */
export interface LinePart {
  readonly text: string;
  readonly rank: number;
  /** Printed as `text: ` before the parts after it instead of `, text`: the line's subject. */
  readonly label?: boolean;
}

export type ProgressLine = string | readonly LinePart[];

/** What the progress writes to: process.stderr, or a test's stand-in. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** Seconds between plain lines off a terminal. */
  readonly everyS?: number;
  readonly stream?: ProgressStream;
  /** Rewrite one line in place; by default on a terminal, unless CI is set. */
  readonly interactive?: boolean;
}

const CLEAR_TO_END = '\x1b[K';

export class Progress {
  private readonly stream: ProgressStream;
  private readonly interactive: boolean;
  private readonly everyS: number;
  private lastPrintS = -Infinity;
  private drawn = false;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.interactive = options.interactive ?? (this.stream.isTTY === true && process.env.CI === undefined);
    this.everyS = options.everyS ?? 10;
  }

  update(line: ProgressLine, force = false): void {
    if (this.interactive) {
      // One column short of the width: a line that fills the last column wraps on some terminals.
      this.stream.write(`\r${fitLine(line, Math.max((this.stream.columns ?? 80) - 1, 1))}${CLEAR_TO_END}`);
      this.drawn = true;
      return;
    }
    const nowS = process.uptime();
    if (force || nowS - this.lastPrintS >= this.everyS) {
      this.lastPrintS = nowS;
      this.stream.write(`${render(typeof line === 'string' ? [{ text: line, rank: 0 }] : line)}\n`);
    }
  }

  /** Prints a message on its own line (without breaking the progress line). */
  message(text: string): void {
    this.stream.write(this.interactive ? `\r${CLEAR_TO_END}${text}\n` : `${text}\n`);
  }

  done(): void {
    if (this.interactive && this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

/** The line within `width` characters: parts dropped by rank, the last one left cut with an ellipsis. */
export function fitLine(line: ProgressLine, width: number): string {
  let parts = typeof line === 'string' ? [{ text: line, rank: 0 }] : [...line];
  while (parts.length > 1 && render(parts).length > width) {
    const worst = parts.reduce((a, b) => (b.rank > a.rank ? b : a));
    parts = parts.filter((part) => part !== worst);
  }
  const text = render(parts);
  return text.length <= width ? text : `${text.slice(0, Math.max(width - 1, 0)).trimEnd()}…`;
}

function render(parts: readonly LinePart[]): string {
  let text = '';
  let afterLabel = true;
  for (const part of parts) {
    if (part.label === true) {
      text += `${part.text}: `;
      afterLabel = true;
    } else {
      text += `${afterLabel ? '' : ', '}${part.text}`;
      afterLabel = false;
    }
  }
  return text.endsWith(': ') ? text.slice(0, -2) : text;
}
