// Every visible string comes from the catalogs: markup may hold no literal words, and
// user-facing attributes (aria-label, placeholder, title, alt) must be expressions.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(process.cwd(), 'src');
const ALLOWED = new Set(['Confidant', 'Svenska', 'Dansk', 'English', 'XXXX-XXXX-…']);

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? svelteFiles(join(dir, d.name)) : d.name.endsWith('.svelte') ? [join(dir, d.name)] : [],
  );
}

/** Removes script/style blocks, comments and `{…}` expressions (nested braces included). */
function markupOnly(src: string): string {
  let s = src
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  let out = '';
  let depth = 0;
  for (const ch of s) {
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

describe('no hard-coded text', () => {
  const files = svelteFiles(root);

  it('finds the components', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  for (const f of files) {
    const name = f.slice(root.length + 1);
    it(`${name} has no literal words in markup`, () => {
      const markup = markupOnly(readFileSync(f, 'utf8'));
      const text = markup.replace(/<[^>]*>/g, ' ');
      const words = (text.match(/[\p{L}][\p{L}\p{N}'’.-]*/gu) ?? []).filter((w) => !ALLOWED.has(w));
      expect(words).toEqual([]);
      const attrs = [...markup.matchAll(/\s(aria-label|placeholder|title|alt)="([^"]*)"/g)]
        .map((m) => `${m[1]}="${m[2]}"`)
        .filter((a) => !/"XXXX-XXXX-…"/.test(a));
      expect(attrs).toEqual([]);
    });
  }
});
