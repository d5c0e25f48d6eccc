import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64urlLength,
  decodeUtf8,
  encodeFields,
  encodeUtf8,
  fromBase64url,
  isBase64urlOf,
  toBase64url,
  type Field,
} from '../../../../shared/crypto/encoding.ts';
import { toHex } from './fixtures.ts';

describe('base64url', () => {
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ])('RFC 4648 §10: %j is %j', (plain, encoded) => {
    const bytes = new TextEncoder().encode(plain);
    expect(toBase64url(bytes)).toBe(encoded);
    const decoded = fromBase64url(encoded);
    expect(decoded.ok && toHex(decoded.value)).toBe(toHex(bytes));
  });

  it('uses - and _ where base64 has + and /', () => {
    expect(toBase64url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
  });

  it('round-trips any bytes, with the predicted length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = toBase64url(bytes);
        expect(text).toHaveLength(base64urlLength(bytes.length));
        const decoded = fromBase64url(text, bytes.length);
        expect(decoded.ok && toHex(decoded.value)).toBe(toHex(bytes));
      }),
    );
  });

  it.each([
    ['padding', 'Zg=='],
    ['standard base64 +', 'a+8'],
    ['standard base64 /', 'a/8'],
    ['a space', 'Zm9 v'],
    ['an impossible length', 'Zm9vY'],
    ['non-canonical trailing bits', 'Zh'],
    ['non-canonical trailing bits (two bytes)', 'Zm9'],
    ['a non-ASCII letter', 'Zm9vÄ'],
  ])('refuses %s', (_name, text) => {
    expect(fromBase64url(text)).toMatchObject({ ok: false, error: { code: 'ERR_BAD_ENCODING' } });
  });

  it('refuses a decoded length other than the one asked for', () => {
    expect(fromBase64url('Zm9v', 2)).toMatchObject({ ok: false, error: { code: 'ERR_BAD_ENCODING' } });
  });

  it('isBase64urlOf says what decoding with that length says, for any text', () => {
    const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const nearly = fc.string({ unit: fc.constantFrom(...digits, '=', '+', '/', ' ', 'Ä'), maxLength: 12 });
    fc.assert(
      fc.property(fc.oneof(nearly, fc.uint8Array({ maxLength: 9 }).map(toBase64url)), fc.nat(8), (text, byteLength) => {
        expect(isBase64urlOf(text, byteLength)).toBe(fromBase64url(text, byteLength).ok);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('UTF-8', () => {
  it('round-trips well-formed text, astral characters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const bytes = encodeUtf8(text);
        expect(bytes.ok && decodeUtf8(bytes.value)).toStrictEqual({ ok: true, value: text });
      }),
    );
  });

  it.each([
    ['a lone high surrogate', 'a\uD800b'],
    ['a lone low surrogate', '\uDC00'],
    ['a reversed pair', '\uDC00\uD800'],
  ])('refuses %s, which would otherwise encode as U+FFFD', (_name, text) => {
    expect(encodeUtf8(text)).toMatchObject({ ok: false, error: { code: 'ERR_BAD_ENCODING' } });
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
  ])('refuses %s when decoding', (_name, bytes) => {
    expect(decodeUtf8(Uint8Array.from(bytes))).toMatchObject({ ok: false, error: { code: 'ERR_BAD_ENCODING' } });
  });
});

describe('encodeFields', () => {
  const encode = (fields: Field[]): string => {
    const bytes = encodeFields(fields);
    if (!bytes.ok) throw new Error(bytes.error.message);
    return toHex(bytes.value);
  };

  it('writes integers big-endian at fixed width and prefixes bytes and text with a 32-bit length', () => {
    expect(encode([{ u8: 3 }, { u32: 1 }, { u64: 2 ** 40 + 5 }, { text: 'hé' }, { bytes: Uint8Array.of(9) }])).toBe(
      '03' + '00000001' + '0000010000000005' + '00000003' + '68c3a9' + '00000001' + '09',
    );
  });

  it('never gives two different text lists the same bytes (no boundary shifting)', () => {
    expect(encode([{ text: 'ab' }, { text: 'c' }])).not.toBe(encode([{ text: 'a' }, { text: 'bc' }]));
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 4 }), fc.array(fc.string(), { maxLength: 4 }), (a, b) => {
        fc.pre(a.length === b.length && a.some((text, i) => text !== b[i]));
        expect(encode(a.map((text) => ({ text })))).not.toBe(encode(b.map((text) => ({ text }))));
      }),
    );
  });

  it.each<[string, Field]>([
    ['a negative integer', { u64: -1 }],
    ['a fraction', { u32: 1.5 }],
    ['an unsafe integer', { u64: 2 ** 53 }],
    ['a u8 over 255', { u8: 256 }],
    ['a u32 over 2³²−1', { u32: 2 ** 32 }],
    ['NaN', { u64: Number.NaN }],
    ['text with a lone surrogate', { text: '\uD800' }],
  ])('refuses %s as a result', (_name, field) => {
    expect(encodeFields([field])).toMatchObject({ ok: false, error: { code: 'ERR_BAD_ENCODING' } });
  });
});
