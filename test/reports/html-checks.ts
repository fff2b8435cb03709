// Checks every report test makes of a page: self-contained, no scripts, ids unique, internal links resolve.

import { JSDOM } from 'jsdom';

export interface PageProblems {
  readonly external: string[];
  readonly scripts: number;
  readonly duplicateIds: string[];
  readonly brokenLinks: string[];
}

export function pageProblems(html: string): PageProblems {
  const external = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\/[^"'\s>]*/gi)].map((m) => m[0]);
  const document = new JSDOM(html).window.document;
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  const seen = new Set<string>();
  const duplicateIds = ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  const brokenLinks = [...document.querySelectorAll('a[href^="#"]')]
    .map((a) => a.getAttribute('href')!.slice(1))
    .filter((id) => !seen.has(id));
  return {
    external,
    scripts: document.querySelectorAll('script, link[rel="stylesheet"], iframe, img[src]').length,
    duplicateIds,
    brokenLinks: [...new Set(brokenLinks)],
  };
}

/** The markup of the element with this id (an SVG chart), or '' when absent. */
export function elementHtml(html: string, id: string): string {
  return new JSDOM(html).window.document.getElementById(id)?.outerHTML ?? '';
}

/** The page's visible text, whitespace collapsed. */
export function pageText(html: string): string {
  return (new JSDOM(html).window.document.body.textContent ?? '').replace(/\s+/g, ' ');
}
