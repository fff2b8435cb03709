import test from 'ava';
import { Progress, fitLine } from '../../cli/progress.ts';
import { swarmProgressLine } from '../../cli/swarm.ts';

function terminal(columns: number): { stream: { isTTY: boolean; columns: number; write(text: string): boolean }; written: string[] } {
  const written: string[] = [];
  return { stream: { isTTY: true, columns, write: (text: string) => written.push(text) > 0 }, written };
}

/** What a terminal shows of each write: without the carriage return and the erase-to-end-of-line code. */
function visible(text: string): string {
  return text.replace(/\r/g, '').replace(/\x1b\[K/g, '');
}

const SWARM_LINE = swarmProgressLine({
  name: 'kip-101-divergence-under-high-watermark-truncation', done: 137, total: 1000, perSec: 2.13, failing: 3,
  found: ['lost-write', 'divergence', 'hw-regression'], leftS: 405,
});

test('on an 80-column terminal the swarm\'s live line fits in 79 columns and keeps what matters most', (t) => {
  const { stream, written } = terminal(80);
  const progress = new Progress({ stream, interactive: true });
  progress.update(SWARM_LINE);
  t.is(written.length, 1);
  const shown = visible(written[0]!);
  t.true(shown.length <= 79, `${shown.length} columns: ${shown}`);
  t.regex(shown, /137\/1000 seeds/);
  t.regex(shown, /3 failing/);
  t.regex(shown, /~405 s left/);
  t.notRegex(shown, /seeds\/s/, 'the rate goes first');
  t.true(written[0]!.startsWith('\r') && written[0]!.endsWith('\x1b[K'), 'rewritten in place, the rest of the old line erased (not padded past the width)');
});

test('a wide terminal shows the whole line; a narrow one the most useful parts; a tiny one a cut line', (t) => {
  t.is(fitLine(SWARM_LINE, 200), 'kip-101-divergence-under-high-watermark-truncation: 137/1000 seeds, 2.13 seeds/s, 3 failing, found lost-write divergence hw-regression, ~405 s left');
  t.is(fitLine(SWARM_LINE, 40), '137/1000 seeds, 3 failing, ~405 s left');
  t.is(fitLine(SWARM_LINE, 10), '137/1000…');
  t.is(fitLine('a plain line longer than the width', 12), 'a plain lin…');
});

test('a message clears the live line before it and does not wrap it', (t) => {
  const { stream, written } = terminal(40);
  const progress = new Progress({ stream, interactive: true });
  progress.update(SWARM_LINE);
  progress.message('FAIL seed 7: lost-write');
  t.is(written[1], '\r\x1b[KFAIL seed 7: lost-write\n');
  progress.done();
  t.is(written[2], '\n');
});

test('off a terminal (CI, a pipe) every part of the line is printed, on its own line', (t) => {
  const written: string[] = [];
  const progress = new Progress({ stream: { isTTY: false, write: (text: string) => written.push(text) }, interactive: false });
  progress.update(SWARM_LINE);
  t.is(written[0], `${fitLine(SWARM_LINE, 1000)}\n`);
});
