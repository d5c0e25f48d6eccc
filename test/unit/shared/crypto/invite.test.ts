import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INVALID_INVITE_MESSAGE,
  INVITE_SECRET_LENGTH,
  createInviteSecret,
  formatInviteSecret,
  parseInviteSecret,
} from '../../../../shared/crypto/invite.ts';
import { toBase64url } from '../../../../shared/crypto/encoding.ts';
import { counting, seededRandom, toHex } from './fixtures.ts';

const secret = { bytes: counting(32) };
const text = formatInviteSecret(secret);

describe('invite secrets', () => {
  it('are 48 base64url characters, and parse back, with or without the #', () => {
    expect(text).toMatch(new RegExp(`^[A-Za-z0-9_-]{${INVITE_SECRET_LENGTH}}$`));
    expect(text).toBe(INVITE_VECTOR);
    for (const fragment of [text, `#${text}`]) {
      const parsed = parseInviteSecret(fragment);
      expect(parsed.ok && toHex(parsed.value.bytes)).toBe(toHex(secret.bytes));
    }
  });

  it('round-trip for any 32 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const parsed = parseInviteSecret(formatInviteSecret({ bytes }));
        expect(parsed.ok && toHex(parsed.value.bytes)).toBe(toHex(bytes));
      }),
    );
  });

  it('take 256 bits from the injected random source', () => {
    expect(createInviteSecret(seededRandom(3)).bytes).toHaveLength(32);
  });

  const swap = (at: number, char: string): string => text.slice(0, at) + char + text.slice(at + 1);
  const other = (char: string): string => (char === 'A' ? 'B' : 'A');
  it.each([
    ['empty', '', 'length'],
    ['only a #', '#', 'length'],
    ['truncated by one character', text.slice(0, -1), 'length'],
    ['truncated to half', text.slice(0, 24), 'length'],
    ['one character too long', `${text}A`, 'length'],
    ['with padding', `${text.slice(0, -1)}=`, 'encoding'],
    ['with base64 + instead of -', swap(10, '+'), 'encoding'],
    ['with a space', swap(10, ' '), 'encoding'],
    ['with a percent-escape', `${text.slice(0, -3)}%41`, 'encoding'],
    ['of an unknown version', toBase64url(Uint8Array.from([2, ...secret.bytes, 0, 0, 0])), 'version'],
    ['with its last character edited', swap(47, other(text.charAt(47))), 'checksum'],
    ['with a middle character edited', swap(20, other(text.charAt(20))), 'checksum'],
    ['with two neighbours swapped', text.slice(0, 20) + text.charAt(21) + text.charAt(20) + text.slice(22), 'checksum'],
  ])('refuses one %s', (_name, fragment, reason) => {
    expect(fragment).not.toBe(text);
    expect(parseInviteSecret(fragment)).toStrictEqual({
      ok: false,
      error: { code: 'ERR_BAD_INVITE', reason, message: INVALID_INVITE_MESSAGE },
    });
  });

  it('refuse every single-character edit of a link', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let at = 0; at < text.length; at++) {
      for (const char of alphabet) {
        if (char === text.charAt(at)) continue;
        expect(parseInviteSecret(swap(at, char)).ok).toBe(false);
      }
    }
  });

  it('throw when formatting a secret of the wrong length (caller misuse)', () => {
    expect(() => formatInviteSecret({ bytes: new Uint8Array(16) })).toThrow();
  });
});

// ChatUs's own vector: the secret 00 01 … 1f as a link fragment.
const INVITE_VECTOR = 'AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fPZmM';
