// Fails the build when dist/ holds something a strict CSP or a health-data app must not ship:
// the dev-only fake backend or its demo data, inline scripts or event-handler attributes,
// remote URLs for scripts/styles/fonts, or eval-like calls in our own code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(p);
  }
})(dist);

const problems = [];
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  if (/FakeBackend|lingonberry|mock-boot/.test(text)) problems.push(`${f}: contains the dev-only fake backend`);
  if (f.endsWith('.html')) {
    if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(text)) problems.push(`${f}: inline <script>`);
    if (/\son[a-z]+\s*=/i.test(text)) problems.push(`${f}: inline event handler attribute`);
    if (/<style[\s>]/i.test(text) || /\sstyle\s*=/i.test(text)) problems.push(`${f}: inline style`);
  }
  if (/(src|href)=["']https?:\/\//i.test(text) || /@import\s+url\(["']?https?:/i.test(text)) problems.push(`${f}: remote asset`);
  if (/\bnew Function\(|\beval\(/.test(text)) problems.push(`${f}: eval-like call`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`dist ok: ${files.length} files, no fake backend, no inline script/style, no remote assets`);
