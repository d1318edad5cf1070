import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import { parse } from './markdown';
import Markdown from './Markdown.svelte';

describe('markdown', () => {
  it('parses the subset notes use', () => {
    const b = parse('## Plan\n\n- one\n- **two**\n\n1. a\n2. b\n\n> quoted\n\ntext *em* `code`');
    expect(b.map((x) => x.t)).toEqual(['h', 'ul', 'ol', 'quote', 'p']);
  });

  it('renders HTML in a note as text, never as markup', () => {
    const evil = '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n**<b>bold</b>**\n\n- <iframe src="https://evil"></iframe>';
    const { container } = render(Markdown, { source: evil });
    expect(container.querySelector('script, img, iframe, b')).toBeNull();
    expect(container.textContent).toContain('<script>alert(1)</script>');
    expect(container.textContent).toContain('<img src=x onerror="alert(2)">');
    expect(container.querySelector('strong')?.textContent).toBe('<b>bold</b>');
  });

  it('shows links as text and never makes anchors', () => {
    const { container } = render(Markdown, { source: 'see [the plan](javascript:alert(1)) and [x](https://example.org)' });
    expect(container.querySelector('a')).toBeNull();
    expect(container.textContent).toContain('the plan (javascript:alert(1))');
  });

  it('renders headings, lists, emphasis and code', () => {
    const { container } = render(Markdown, { source: '## Plan\n\n- **sleep** diary\n- *walk*\n\nUse `x`' });
    expect(container.querySelector('h4')?.textContent).toBe('Plan');
    expect(container.querySelectorAll('li')).toHaveLength(2);
    expect(container.querySelector('strong')?.textContent).toBe('sleep');
    expect(container.querySelector('em')?.textContent).toBe('walk');
    expect(container.querySelector('code')?.textContent).toBe('x');
  });

  it('keeps snake_case words intact', () => {
    const { container } = render(Markdown, { source: 'file_name_here' });
    expect(container.querySelector('em')).toBeNull();
    expect(container.textContent).toBe('file_name_here');
  });
});
