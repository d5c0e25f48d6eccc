import { ok, type Result } from '../result.ts';
import { cryptoError, type CryptoError } from './errors.ts';

/**
 * Byte encodings the cryptography needs: base64url for the wire (RFC 4648 §5, no padding, canonical only), strict
 * UTF-8, and the length-prefixed fields that make signed and authenticated byte strings unambiguous.
 */

// shared/ sees no DOM or Node types; both platforms have these two classes (WHATWG Encoding).
declare const TextEncoder: new () => { encode(text: string): Uint8Array };
declare const TextDecoder: new (label: 'utf-8', options: { fatal: boolean }) => { decode(bytes: Uint8Array): string };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The alphabet alone: V8 runs this regex faster than any loop over the text. */
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** Each ASCII code's value as a base64url digit, -1 for the codes that are not one. */
const DIGITS = Int8Array.from({ length: 128 }, (_, code) => ALPHABET.indexOf(String.fromCharCode(code)));
/** A UTF-16 code unit that is half of a surrogate pair without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The number of base64url characters (no padding) that encode `byteLength` bytes. */
export function base64urlLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3);
}

/** Encodes bytes as base64url without padding. */
export function toBase64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const n = (b0 << 16) | ((b1 ?? 0) << 8) | (b2 ?? 0);
    out += ALPHABET.charAt((n >> 18) & 63) + ALPHABET.charAt((n >> 12) & 63);
    if (b1 !== undefined) out += ALPHABET.charAt((n >> 6) & 63);
    if (b2 !== undefined) out += ALPHABET.charAt(n & 63);
  }
  return out;
}

/**
 * Whether `text` is the canonical base64url form (no padding) of exactly `byteLength` bytes: what
 * `fromBase64url(text, byteLength).ok` says, without decoding. A schema checks every key and signature this way, and
 * every join sends every member a roster of a hundred keys.
 */
export function isBase64urlOf(text: string, byteLength: number): boolean {
  if (text.length !== base64urlLength(byteLength) || !BASE64URL.test(text)) return false;
  // The last digit's low bits beyond the bytes must be zero (RFC 4648 §3.5), else two texts would decode alike.
  const spareBits = (text.length * 6) % 8;
  return ((DIGITS[text.charCodeAt(text.length - 1)] ?? 0) & ((1 << spareBits) - 1)) === 0;
}

/**
 * Decodes base64url without padding. Refuses other characters, padding, an impossible length, and non-canonical
 * text (unused low bits set), so each byte string has exactly one text form. With `length`, also refuses any other
 * decoded length. Never throws.
 */
export function fromBase64url(text: string, length?: number): Result<Uint8Array, CryptoError> {
  if (text.length % 4 === 1) return cryptoError('ERR_BAD_ENCODING', 'not base64url');
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let index = 0;
  // By code unit through a table: every roster's identities pass through here, on every join.
  for (let i = 0; i < text.length; i++) {
    const digit = DIGITS[text.charCodeAt(i)] ?? -1;
    if (digit < 0) return cryptoError('ERR_BAD_ENCODING', 'not base64url');
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[index++] = (value >> bits) & 0xff;
      value &= (1 << bits) - 1;
    }
  }
  if (value !== 0) return cryptoError('ERR_BAD_ENCODING', 'not canonical base64url');
  if (length !== undefined && bytes.length !== length) {
    return cryptoError('ERR_BAD_ENCODING', `expected ${length} bytes, got ${bytes.length}`);
  }
  return ok(bytes);
}

/** True when the text has no lone surrogate, so its UTF-8 encoding is one-to-one. */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * UTF-8 bytes of well-formed text. A lone surrogate would be encoded as U+FFFD, so two different strings would sign
 * the same: refused instead.
 */
export function encodeUtf8(text: string): Result<Uint8Array, CryptoError> {
  if (!isWellFormed(text)) return cryptoError('ERR_BAD_ENCODING', 'text is not well-formed Unicode');
  return ok(new TextEncoder().encode(text));
}

/** Text from UTF-8 bytes; malformed UTF-8 is refused rather than replaced. Never throws. */
export function decodeUtf8(bytes: Uint8Array): Result<string, CryptoError> {
  try {
    return ok(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return cryptoError('ERR_BAD_ENCODING', 'not valid UTF-8');
  }
}

/** One field of a canonical byte string: raw bytes, text (UTF-8), or an unsigned integer of 8, 32 or 64 bits. */
export type Field =
  | { readonly bytes: Uint8Array }
  | { readonly text: string }
  | { readonly u8: number }
  | { readonly u32: number }
  | { readonly u64: number };

/**
 * The canonical encoding of a list of fields: integers big-endian at fixed width, bytes and text each preceded by
 * its length as a 32-bit big-endian integer. A reader who knows the field list can split it in only one way, so
 * no two different field values give the same bytes (unlike joining with a separator). Refuses text that is not
 * well-formed and integers out of range; never throws.
 */
export function encodeFields(fields: readonly Field[]): Result<Uint8Array, CryptoError> {
  const parts: Uint8Array[] = [];
  for (const field of fields) {
    const part = encodeField(field);
    if (!part.ok) return part;
    parts.push(part.value);
  }
  return ok(concatBytes(parts));
}

function encodeField(field: Field): Result<Uint8Array, CryptoError> {
  if ('bytes' in field) return ok(withLength(field.bytes));
  if ('text' in field) {
    const utf8 = encodeUtf8(field.text);
    return utf8.ok ? ok(withLength(utf8.value)) : utf8;
  }
  if ('u8' in field) return uint(field.u8, 1);
  if ('u32' in field) return uint(field.u32, 4);
  return uint(field.u64, 8);
}

function withLength(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

function uint(value: number, width: 1 | 4 | 8): Result<Uint8Array, CryptoError> {
  const max = width === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * width) - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    return cryptoError('ERR_BAD_ENCODING', `integer out of range for ${8 * width} bits`);
  }
  const out = new Uint8Array(width);
  const view = new DataView(out.buffer);
  if (width === 1) view.setUint8(0, value);
  else if (width === 4) view.setUint32(0, value);
  else view.setBigUint64(0, BigInt(value));
  return ok(out);
}

/** Joins byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Byte-wise equality of two arrays (not constant-time: use for public values only). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Lexicographic order of two byte arrays, for sorting public keys the same way on every side. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/** UTF-8 bytes of a constant label (labels are ASCII, so this cannot fail). */
export function labelBytes(label: string): Uint8Array {
  return new TextEncoder().encode(label);
}
