// HTML building blocks shared by every report: escaping, the page shell, tables, code blocks, ids.
//
// Every string that came from a result (names, messages, values, teaching text) goes through escapeHtml()
// before it reaches the page; helpers here take *already escaped* HTML where they say `Html`.

import { STYLE } from './style.ts';

/** Escapes text for element content and for double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A whole self-contained page: inline style, no scripts, nothing loaded from elsewhere. */
export function page(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${bodyHtml}
</body>
</html>
`;
}

/** A table; header cells are text, body cells are HTML. */
export function table(headers: readonly string[], rowsHtml: ReadonlyArray<readonly string[]>, className = ''): string {
  const cls = className ? ` class="${escapeHtml(className)}"` : '';
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rowsHtml.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<table${cls}>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** A two-column key/value table; keys are text, values HTML. */
export function keyValueTable(rowsHtml: ReadonlyArray<readonly [string, string]>, className = 'kv'): string {
  const body = rowsHtml.map(([key, value]) => `<tr><th scope="row">${escapeHtml(key)}</th><td>${value}</td></tr>`).join('\n');
  return `<table class="${escapeHtml(className)}">\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** A command to copy: a click selects all of it (CSS user-select), no script needed. */
export function commandBlock(command: string): string {
  return `<pre class="command"><code>${escapeHtml(command)}</code></pre>`;
}

/** Inline code. */
export function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/** The big verdict badge: ok or NOT OK. */
export function verdictBadge(ok: boolean): string {
  return ok ? '<span class="verdict ok">ok</span>' : '<span class="verdict bad">NOT OK</span>';
}

/** A fragment id from arbitrary text: letters, digits, - and _ only. */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '-');
}

/** An href attribute value, escaped. */
export function href(target: string): string {
  return `href="${escapeHtml(target)}"`;
}
