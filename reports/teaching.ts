// Teaching text to HTML. The text is plain: paragraphs separated by blank lines; a paragraph whose lines all
// start with "- " or "* " becomes a bullet list; `backticks` become code. Everything is escaped first.

import { escapeHtml } from './html.ts';

export function teachingHtml(text: string): string {
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0);
  return blocks.map(blockHtml).join('\n');
}

function blockHtml(block: string): string {
  const lines = block.split('\n').map((line) => line.trim());
  if (lines.every((line) => /^[-*] /.test(line))) {
    return `<ul>${lines.map((line) => `<li>${inline(line.slice(2))}</li>`).join('')}</ul>`;
  }
  return `<p>${inline(lines.join(' '))}</p>`;
}

/** Escapes, then turns `code` spans into <code>. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}
