import { ok, type Result } from '../result.ts';
import { bytesEqual, encodeFields, type Field } from './encoding.ts';
import { cryptoError, type CryptoError } from './errors.ts';
import { publicIdentityBytes, sameIdentity, type Identity, type PublicIdentity } from './identity.ts';
import { Label } from './labels.ts';
import { Ed25519Key, ed25519Sign } from './primitives.ts';
import type { Sealed } from './sealed.ts';

/**
 * What an author signs, and how. The signed bytes are a canonical, length-prefixed encoding (see
 * {@link encodeFields}) of, in this order:
 *
 *   "ChatUs v1 signed message", v (u32), room (text), id (text), author identity (64 bytes: Ed25519 ‖ X25519),
 *   seq (u64), ts (u64), kind (u8: 1 room, 2 room-sealed, 3 dm, 4 file, 5 room-sealed file, 6 dm file), then by
 *   kind: room: text · room-sealed: nonce, ciphertext · dm: recipient identity (64 bytes), nonce, ciphertext ·
 *   file (4): transfer id (text), name (text), size (u64), media type (text), SHA-256 (32 bytes) ·
 *   room-sealed file (5): transfer id (text), size (u64), nonce, ciphertext ·
 *   dm file (6): recipient identity, transfer id (text), size (u64), nonce, ciphertext.
 *
 * A sealed file (5, 6) is a room-sealed message or a DM with an attachment (`attach`): the transfer id and size
 * travel in the clear, because the host relays the chunks and needs both; the name, media type, SHA-256 and the
 * file's own chunk key are the sealed text (shared/files/sealed-file.ts).
 *
 * So the host (or anyone between) cannot forge a message, change any of these fields, move a message to another
 * room (room id), renumber it within its author's sequence (seq), pass one kind off as another, or redirect a DM
 * (recipient). NOT covered, by design: the sender's peer id and display name (server-assigned, they change on
 * reconnect; receivers must check that the roster maps the sending peer to `author`), and the host's delivery
 * fields. A replay of the very same signed message within its room is not prevented by the signature: receivers
 * drop an `id` they have, and a `seq` an author already used.
 */

/** The fields of a message that exist before its content, shared by every kind. */
export interface MessageHeader {
  /** Protocol version of the envelope. */
  readonly v: number;
  /** The room it was written in. */
  readonly room: string;
  /** Sender-unique message id. */
  readonly id: string;
  /** The author's public identity; its Ed25519 key must verify the signature. */
  readonly author: PublicIdentity;
  /** The author's sequence number, from 1. */
  readonly seq: number;
  /** The author's clock, in ms. */
  readonly ts: number;
}

/**
 * What a message says: plain text in an open room, sealed text in a private room, or a sealed DM; an open room's
 * file announcement; a sealed one (room-sealed or DM with `attach`: the file's description is the sealed text).
 */
export type MessageContent =
  | { readonly kind: 'room'; readonly text: string }
  | { readonly kind: 'room-sealed'; readonly sealed: Sealed; readonly attach?: Attachment }
  | { readonly kind: 'dm'; readonly recipient: PublicIdentity; readonly sealed: Sealed; readonly attach?: Attachment }
  | { readonly kind: 'file'; readonly file: SignedFile };

/** What a host must read of a sealed file announcement to relay its chunks: the transfer id and the file's size. */
export interface Attachment {
  readonly transfer: string;
  readonly size: number;
}

/** What a file announcement signs: the transfer id, name, size in bytes, media type and the SHA-256 of the bytes. */
export interface SignedFile {
  readonly transfer: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly sha256: Uint8Array;
}

/** The part of sealed content known before sealing, which the associated data binds. */
export type SealTarget =
  | { readonly kind: 'room-sealed'; readonly attach?: Attachment | undefined }
  | { readonly kind: 'dm'; readonly recipient: PublicIdentity; readonly attach?: Attachment | undefined };

/** The kind byte in signed bytes and associated data. New kinds (sender keys with a key id) get new numbers. */
const KIND_TAG = { room: 1, 'room-sealed': 2, dm: 3, file: 4, 'room-sealed file': 5, 'dm file': 6 } as const;

/** The kind byte of content (or a seal target): a sealed kind with an attachment is a sealed file. */
function kindTag(content: MessageContent | SealTarget): number {
  if (content.kind === 'room-sealed' && content.attach) return KIND_TAG['room-sealed file'];
  if (content.kind === 'dm' && content.attach) return KIND_TAG['dm file'];
  return KIND_TAG[content.kind];
}

function attachFields(attach: Attachment | undefined): Field[] {
  return attach ? [{ text: attach.transfer }, { u64: attach.size }] : [];
}

/** The canonical bytes an author signs for this header and content. Refuses out-of-range fields; never throws. */
export function signedBytes(header: MessageHeader, content: MessageContent): Result<Uint8Array, CryptoError> {
  return encodeFields([
    { text: Label.signedMessage },
    ...headerFields(header),
    { u8: kindTag(content) },
    ...contentFields(content),
  ]);
}

/**
 * The associated data a sealed message's ciphertext is bound to: its whole header and kind (and for a DM, the
 * recipient; for a sealed file, the transfer id and size), under a label of its own. A ciphertext moved to another
 * header, room, author, recipient or transfer does not open. Never throws.
 */
export function associatedData(header: MessageHeader, target: SealTarget): Result<Uint8Array, CryptoError> {
  return encodeFields([
    { text: Label.sealedHeader },
    ...headerFields(header),
    { u8: kindTag(target) },
    ...(target.kind === 'dm' ? [{ bytes: publicIdentityBytes(target.recipient) }] : []),
    ...attachFields(target.attach),
  ]);
}

/**
 * Signs a message as `author` (64-byte Ed25519 signature). Throws when `header.author` is not `author`'s public
 * identity, or a field is out of range (caller misuse).
 */
export function signMessage(author: Identity, header: MessageHeader, content: MessageContent): Uint8Array {
  if (!sameIdentity(author.publicIdentity, header.author)) throw new Error('header.author is not the signing identity');
  const bytes = signedBytes(header, content);
  if (!bytes.ok) throw new Error(bytes.error.message);
  return ed25519Sign(author.signingSeed, bytes.value);
}

/**
 * Checks that `header.author` signed exactly this header and content, with `key` when given: the author's signing key
 * decoded once (see Ed25519Key; null for a key that is no usable point). Never throws but for a `key` of someone
 * else (caller misuse).
 */
export function verifyMessage(
  header: MessageHeader,
  content: MessageContent,
  signature: Uint8Array,
  key: Ed25519Key | null = Ed25519Key.from(header.author.signing),
): Result<true, CryptoError> {
  if (key !== null && !bytesEqual(key.publicKey, header.author.signing)) throw new Error('key is not the author\'s signing key');
  const bytes = signedBytes(header, content);
  if (!bytes.ok) return bytes;
  if (key === null || !key.verify(bytes.value, signature)) {
    return cryptoError('ERR_BAD_SIGNATURE', 'signature does not match the message and its author');
  }
  return ok(true);
}

function headerFields(header: MessageHeader): Field[] {
  return [
    { u32: header.v },
    { text: header.room },
    { text: header.id },
    { bytes: publicIdentityBytes(header.author) },
    { u64: header.seq },
    { u64: header.ts },
  ];
}

function contentFields(content: MessageContent): Field[] {
  switch (content.kind) {
    case 'room':
      return [{ text: content.text }];
    case 'room-sealed':
      return [...attachFields(content.attach), { bytes: content.sealed.nonce }, { bytes: content.sealed.ciphertext }];
    case 'dm':
      return [
        { bytes: publicIdentityBytes(content.recipient) },
        ...attachFields(content.attach),
        { bytes: content.sealed.nonce },
        { bytes: content.sealed.ciphertext },
      ];
    case 'file':
      return [
        { text: content.file.transfer },
        { text: content.file.name },
        { u64: content.file.size },
        { text: content.file.type },
        { bytes: content.file.sha256 },
      ];
  }
}
