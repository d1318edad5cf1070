// A small Markdown subset for journal notes, parsed into a tree that Svelte renders as elements
// and text nodes. Nothing here ever produces HTML strings, so a note containing `<script>` or
// `<img onerror>` shows those characters as text. Links are shown as their text (plus the
// address in brackets): a journal must not navigate anywhere.

export type Inline =
  { t: 'text'; v: string } | { t: 'strong'; c: Inline[] } | { t: 'em'; c: Inline[] } | { t: 'code'; v: string } | { t: 'br' };

export type Block =
  | { t: 'h'; level: 1 | 2 | 3 | 4 | 5 | 6; c: Inline[] }
  | { t: 'p'; c: Inline[] }
  | { t: 'ul'; items: Inline[][] }
  | { t: 'ol'; start: number; items: Inline[][] }
  | { t: 'quote'; c: Block[] }
  | { t: 'pre'; v: string }
  | { t: 'hr' };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const ORDERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;
const HR = /^\s*([-*_])(\s*\1){2,}\s*$/;
const FENCE = /^\s*(```|~~~)/;

export function parse(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      i++;
      out.push({ t: 'pre', v: body.join('\n') });
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      out.push({ t: 'h', level: h[1].length as 1 | 2 | 3 | 4 | 5 | 6, c: inline(h[2]) });
      i++;
      continue;
    }
    if (HR.test(line)) {
      out.push({ t: 'hr' });
      i++;
      continue;
    }
    if (/^\s*>/.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) inner.push(lines[i++].replace(/^\s*>\s?/, ''));
      out.push({ t: 'quote', c: parse(inner.join('\n')) });
      continue;
    }
    if (BULLET.test(line)) {
      const items: Inline[][] = [];
      while (i < lines.length && BULLET.test(lines[i])) items.push(inline(BULLET.exec(lines[i++])![1]));
      out.push({ t: 'ul', items });
      continue;
    }
    const ol = ORDERED.exec(line);
    if (ol) {
      const items: Inline[][] = [];
      while (i < lines.length && ORDERED.test(lines[i])) items.push(inline(ORDERED.exec(lines[i++])![2]));
      out.push({ t: 'ol', start: Number(ol[1]), items });
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      lines[i].trim() !== '' &&
      !HEADING.test(lines[i]) &&
      !BULLET.test(lines[i]) &&
      !ORDERED.test(lines[i]) &&
      !FENCE.test(lines[i]) &&
      !/^\s*>/.test(lines[i]) &&
      !HR.test(lines[i])
    ) {
      para.push(lines[i++]);
    }
    const c: Inline[] = [];
    para.forEach((l, n) => {
      if (n > 0) c.push({ t: 'br' });
      c.push(...inline(l.trim()));
    });
    out.push({ t: 'p', c });
  }
  return out;
}

/** Inline spans: `code`, **strong**, *em* / _em_, [text](url) shown as "text (url)". */
export function inline(s: string): Inline[] {
  const out: Inline[] = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push({ t: 'text', v: buf });
    buf = '';
  };
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length && /[\\`*_[\]()#>+\-.!]/.test(s[i + 1])) {
      buf += s[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ t: 'code', v: s.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && s[i + 1] === ch) {
      const end = s.indexOf(ch + ch, i + 2);
      if (end > i + 2) {
        flush();
        out.push({ t: 'strong', c: inline(s.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if (ch === '*' || ch === '_') {
      const end = s.indexOf(ch, i + 1);
      // `_` inside words (snake_case, file_name) is not emphasis.
      const wordy = ch === '_' && i > 0 && /\w/.test(s[i - 1]);
      if (end > i + 1 && !wordy && s[i + 1] !== ' ') {
        flush();
        out.push({ t: 'em', c: inline(s.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (ch === '[') {
      const m = /^\[([^\]]*)\]\(([^)\s]*)\)/.exec(s.slice(i));
      if (m) {
        flush();
        out.push(...inline(m[1]));
        if (m[2] && m[2] !== m[1]) out.push({ t: 'text', v: ` (${m[2]})` });
        i += m[0].length;
        continue;
      }
    }
    buf += ch;
    i++;
  }
  flush();
  return out;
}
