import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textSegments } from '../../../web/src/components/text-links.ts';

describe('links in message text', () => {
  it('makes http(s) addresses links and leaves the sentence around them as text', () => {
    expect(textSegments('see https://chat.lan.test:8080/docs?a=1&b=2. then (http://example.test/x)')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://chat.lan.test:8080/docs?a=1&b=2', href: 'https://chat.lan.test:8080/docs?a=1&b=2' },
      { kind: 'text', text: '. then (' },
      { kind: 'link', text: 'http://example.test/x', href: 'http://example.test/x' },
      { kind: 'text', text: ')' },
    ]);
  });

  it('never links another scheme, nor markup', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', '<img src=x onerror=alert(1)>', 'ftp://files.test/a', 'https://']) {
      expect(textSegments(text).every((segment) => segment.kind === 'text')).toBe(true);
    }
  });

  it('gives back the whole text, in order, whatever it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite' }), fc.array(fc.constantFrom('https://a.test/', 'http://b.test/p?q', ' ', '.', ')')), (text, parts) => {
        const whole = text + parts.join('');
        expect(textSegments(whole).map((segment) => segment.text).join('')).toBe(whole);
        for (const segment of textSegments(whole)) if (segment.kind === 'link') expect(segment.href).toMatch(/^https?:\/\//);
      }),
    );
  });
});
