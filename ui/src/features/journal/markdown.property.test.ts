// Property tests of the notes' Markdown renderer (issue 13, fuzzing): whatever a note holds,
// parsing ends, rendering makes only the elements of the subset, no attribute but an ordered
// list's start, and never text the note did not have. `FC_NUM_RUNS` sets the runs per property
// (the trust report's long mode raises it).
import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import fc from 'fast-check';
import { parse } from './markdown';
import Markdown from './Markdown.svelte';

const runs = Number(process.env.FC_NUM_RUNS ?? 300);

const ALLOWED = new Set([
  'DIV',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'P',
  'UL',
  'OL',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'CODE',
  'STRONG',
  'EM',
  'BR',
  'HR',
]);

// Notes as people and attackers write them: Markdown syntax, HTML, entities, scripts, any Unicode.
const piece = fc.oneof(
  fc.constantFrom(
    '#',
    '## ',
    '- ',
    '* ',
    '1. ',
    '> ',
    '```',
    '~~~',
    '**',
    '*',
    '_',
    '`',
    '---',
    '[',
    '](',
    ')',
    '\n',
    '\n\n',
    '  \n',
    '\t',
    ' ',
  ),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '&lt;',
    '&amp;',
    '"',
    "'",
    'javascript:',
    '<a href="x">',
    '\u202e',
    '\u0000',
    '\ud83d\ude00',
  ),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ maxLength: 8 }),
);
const note = fc.array(piece, { maxLength: 60 }).map((p) => p.join(''));

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

describe('markdown (properties)', () => {
  it('parses any note, quickly, into blocks of the subset', () => {
    fc.assert(
      fc.property(note, (src) => {
        const t0 = performance.now();
        const blocks = parse(src);
        expect(performance.now() - t0).toBeLessThan(200);
        for (const b of blocks) expect(['h', 'p', 'ul', 'ol', 'quote', 'pre', 'hr']).toContain(b.t);
      }),
      { numRuns: runs * 3 },
    );
  });

  it('renders only the subset’s elements, without attributes, and invents no markup characters', () => {
    fc.assert(
      fc.property(note, (src) => {
        const { container, unmount } = render(Markdown, { source: src });
        try {
          for (const el of container.querySelectorAll('*')) {
            expect(ALLOWED).toContain(el.tagName);
            const attrs = [...el.attributes].map((a) => a.name).filter((n) => !(el.tagName === 'OL' && n === 'start'));
            // Svelte's scoped-style class is the one attribute a component may add.
            expect(attrs.filter((n) => n !== 'class')).toEqual([]);
          }
          const text = container.textContent ?? '';
          for (const ch of ['<', '>', '&', '"', '=']) expect(count(text, ch)).toBeLessThanOrEqual(count(src, ch));
        } finally {
          unmount();
        }
      }),
      { numRuns: runs },
    );
  });

  it('keeps every letter of plain prose', () => {
    const prose = fc.array(fc.constantFrom('a', 'ö', 'Å', 'z', ' ', '\n', '.', 'æ', 'ø'), { maxLength: 200 }).map((a) => a.join(''));
    fc.assert(
      fc.property(prose, (src) => {
        const { container, unmount } = render(Markdown, { source: src });
        const letters = (s: string) => s.replace(/[^\p{L}]/gu, '');
        expect(letters(container.textContent ?? '')).toBe(letters(src));
        unmount();
      }),
      { numRuns: runs },
    );
  });
});
