import * as v from 'valibot';
import { encodeFields, fromBase64url, toBase64url } from '../crypto/encoding.ts';
import type { CryptoError } from '../crypto/errors.ts';
import { Label } from '../crypto/labels.ts';
import { AEAD_KEY_BYTES, AEAD_NONCE_BYTES, AEAD_TAG_BYTES, aeadOpen, aeadSeal } from '../crypto/primitives.ts';
import type { RandomBytes } from '../crypto/random.ts';
import type { Attachment } from '../crypto/signing.ts';
import { base64urlBytes } from '../crypto/wire.ts';
import { FileDescription } from '../protocol/envelope.ts';
import { ok, err, type Result } from '../result.ts';

/**
 * Files in private rooms and direct messages. The announcement is a sealed message (room key or DM key) whose text is
 * {@link FileSecret} as JSON: the file's name, media type and SHA-256, and a random 32-byte key for this file alone.
 * Only the transfer id and size travel in the clear (`attach`), because the host relays the chunks.
 *
 * Each chunk's data is sealed with XChaCha20-Poly1305 under the file key: nonce = 16 zero bytes ‖ chunk index (u64,
 * big-endian), associated data = "ChatUs v1 file chunk" ‖ transfer id ‖ index (length-prefixed). The key is new for
 * every file and a chunk index always holds the same bytes (the chunk size is fixed when sending starts, and a new
 * host asks for the same chunks again), so a nonce is never reused with different plaintext. A chunk moved to another
 * index or transfer, or changed, does not open; the whole file is still checked against its SHA-256.
 */

/** Bytes a sealed chunk adds to its data: the Poly1305 tag. */
export const SEALED_CHUNK_OVERHEAD = AEAD_TAG_BYTES;

/** The sealed part of a file announcement: what the host must not read. */
export const FileSecret = v.object({
  name: FileDescription.entries.name,
  type: FileDescription.entries.type,
  sha256: FileDescription.entries.sha256,
  /** The file's chunk key (32 bytes, base64url). */
  key: base64urlBytes(AEAD_KEY_BYTES),
});
export type FileSecret = v.InferOutput<typeof FileSecret>;

/** A file announced sealed, opened: its description as an open room's would be, and its chunk key. */
export interface OpenedFile {
  readonly description: FileDescription;
  /** The chunk key; null for a file announced in the open (its chunks are not sealed). */
  readonly key: Uint8Array | null;
}

/** A fresh chunk key for one file. */
export function newFileKey(random: RandomBytes): Uint8Array {
  return random(AEAD_KEY_BYTES);
}

/** The text sealed in a file announcement for `description` and its chunk key. */
export function fileSecretText(description: FileDescription, key: Uint8Array): string {
  const secret: FileSecret = { name: description.name, type: description.type, sha256: description.sha256, key: toBase64url(key) };
  return JSON.stringify(secret);
}

/** A sealed announcement's opened text and attachment, as a file; an error when the text is not a file secret. */
export function openedFile(text: string, attach: Attachment): Result<OpenedFile, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err('the file description is not JSON');
  }
  const secret = v.safeParse(FileSecret, json);
  if (!secret.success) return err('the file description is malformed');
  const description = v.safeParse(FileDescription, { transfer: attach.transfer, size: attach.size, name: secret.output.name, type: secret.output.type, sha256: secret.output.sha256 });
  const key = fromBase64url(secret.output.key, AEAD_KEY_BYTES);
  if (!description.success || !key.ok) return err('the file description is malformed');
  return ok({ description: description.output, key: key.value });
}

/** Seals chunk `index` of the transfer `transfer` (16 bytes) under the file's key. */
export function sealChunk(key: Uint8Array, transfer: Uint8Array, index: number, data: Uint8Array): Uint8Array {
  return aeadSeal(key, chunkNonce(index), data, chunkAssociatedData(transfer, index));
}

/** Opens a sealed chunk; `ERR_DECRYPT` for a changed byte, another index, transfer or key. Never throws. */
export function openChunk(key: Uint8Array, transfer: Uint8Array, index: number, sealed: Uint8Array): Result<Uint8Array, CryptoError> {
  return aeadOpen(key, chunkNonce(index), sealed, chunkAssociatedData(transfer, index));
}

function chunkNonce(index: number): Uint8Array {
  const nonce = new Uint8Array(AEAD_NONCE_BYTES);
  new DataView(nonce.buffer).setBigUint64(AEAD_NONCE_BYTES - 8, BigInt(index));
  return nonce;
}

function chunkAssociatedData(transfer: Uint8Array, index: number): Uint8Array {
  const ad = encodeFields([{ text: Label.fileChunk }, { bytes: transfer }, { u64: index }]);
  if (!ad.ok) throw new Error(ad.error.message);
  return ad.value;
}
