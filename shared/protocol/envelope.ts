import * as v from 'valibot';
import { MAX_FILE_BYTES_CEILING, MAX_FILE_NAME_LENGTH, MAX_FILE_TYPE_LENGTH, MAX_TEXT_LENGTH, MAX_TIMESTAMP, PROTOCOL_VERSION } from '../limits.ts';
import { PublicIdentityText, SealedChatText, SignatureText } from '../crypto/wire.ts';
import { DisplayName, PeerId } from './fields.ts';

/**
 * The chat envelope: what one person said, with everything a receiver needs to de-duplicate (`id`), keep the
 * sender's order (`seq`) and check who wrote it (`author`, `sig`). `body` is one of four variants (docs/protocol.md):
 * open text, a private room's sealed text, a direct message sealed for one recipient, or an open room's file; the
 * two sealed ones may announce a file (`attach`).
 */

/** A sender-unique message id (a random id from the sender). Unique per author only: see {@link messageKey}. */
export const MessageId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'message id must be 8–64 of A–Z a–z 0–9 _ -'));

/**
 * What identifies a message: its author's peer id and the author's id for it, as `from/id`. An id alone is chosen by
 * whoever sends it, so one member could reuse another's id to have a message dropped as a duplicate.
 */
export const MessageKey = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{8,64}$/, 'message key must be a peer id and a message id, as from/id'),
);

/** The key of a message: author and id. */
export const messageKey = (message: { readonly from: string; readonly id: string }): string => `${message.from}/${message.id}`;

/** A body field that belongs to another variant: absent, so that a body is exactly one variant. */
const absent = v.optional(v.never());

/** An open room's message: the text a person typed, readable by whoever relays it. Rendered as text, never as HTML. */
export const TextBody = v.object({
  text: v.pipe(
    v.string(),
    v.minLength(1, 'message must not be empty'),
    v.maxLength(MAX_TEXT_LENGTH, `message must be at most ${MAX_TEXT_LENGTH} characters`),
  ),
  sealed: absent,
  to: absent,
  recipient: absent,
  file: absent,
  attach: absent,
});


/** A transfer id: 16 random bytes as base64url (22 characters); binary chunk frames carry the 16 bytes. */
export const TransferId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{21}[AQgw]$/, 'transfer id must be 16 bytes of base64url'));

/**
 * A file announcement in an open room (kind 'file'): what the author is about to send, signed, so every receiver
 * knows who sent which bytes and can check them (`sha256`, 43 characters of base64url) before offering a download.
 * The bytes follow as binary chunks on the bulk channel (docs/protocol.md, "Files").
 */
export const FileDescription = v.object({
  transfer: TransferId,
  name: v.pipe(v.string(), v.minLength(1, 'file name must not be empty'), v.maxLength(MAX_FILE_NAME_LENGTH)),
  size: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_FILE_BYTES_CEILING)),
  type: v.pipe(v.string(), v.maxLength(MAX_FILE_TYPE_LENGTH), v.regex(/^[\x21-\x7e]*$/, 'media type must be printable ASCII')),
  sha256: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/, 'sha256 must be 32 bytes of base64url')),
});

/** A file announcement's body. */
export const FileBody = v.object({ file: FileDescription, text: absent, sealed: absent, to: absent, recipient: absent, attach: absent });

/**
 * What a sealed file announcement shows the host: the transfer id and the size, so that it can relay the chunks.
 * Name, type, hash and the chunk key are in the sealed text (shared/files/sealed-file.ts).
 */
export const Attachment = v.object({ transfer: TransferId, size: FileDescription.entries.size });

/**
 * A private room's message: its text sealed with the room's message key (kind 'room-sealed'). Members read it. With
 * `attach`, it announces a file whose description is the sealed text.
 */
export const SealedBody = v.object({ sealed: SealedChatText, attach: v.optional(Attachment), text: absent, to: absent, recipient: absent, file: absent });

/**
 * A direct message: sealed for one person (kind 'dm'). `recipient` is their public identity (signed: the DM cannot be
 * redirected); `to` is their peer id when it was written, a routing hint only (peer ids change on reload: hosts route
 * by `recipient`). Only author and recipient read it. With `attach`, it announces a file for the recipient alone.
 */
export const DirectBody = v.object({
  to: PeerId,
  recipient: PublicIdentityText,
  sealed: SealedChatText,
  attach: v.optional(Attachment),
  text: absent,
  file: absent,
});

/** What a message says: exactly one of the four variants. */
export const ChatBody = v.union(
  [TextBody, SealedBody, DirectBody, FileBody],
  'body must be {text}, {sealed}, {to, recipient, sealed} or {file}',
);

/** A message body, as inferred from its schema. */
export type ChatBody = v.InferOutput<typeof ChatBody>;
/** An open text body. */
export type TextBody = v.InferOutput<typeof TextBody>;
/** A private room's sealed body. */
export type SealedBody = v.InferOutput<typeof SealedBody>;
/** A direct message's body. */
export type DirectBody = v.InferOutput<typeof DirectBody>;

/** A file announcement's description, as inferred from its schema. */
export type FileDescription = v.InferOutput<typeof FileDescription>;
/** A file announcement's body. */
export type FileBody = v.InferOutput<typeof FileBody>;

/** Whether a body announces a file. */
export const isFileBody = (body: ChatBody): body is FileBody => body.file !== undefined;

/** Whether a body announces a sealed file (in a private room, or to one person). */
export const isSealedFileBody = (body: ChatBody): body is (SealedBody | DirectBody) & { attach: Attachment } => body.attach !== undefined;

/** A sealed file announcement's attachment, as inferred from its schema. */
export type Attachment = v.InferOutput<typeof Attachment>;

/** Whether a body is a direct message. */
export const isDirectBody = (body: ChatBody): body is DirectBody => body.to !== undefined;

/** Fields every chat envelope has, whoever sends it. */
const chatFields = {
  v: v.literal(PROTOCOL_VERSION),
  type: v.literal('chat'),
  id: MessageId,
  from: PeerId,
  seq: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER)),
  /** The author's clock when writing it (ms since 1970). Shown, never used for order: see shared/timeline.ts. */
  ts: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_TIMESTAMP)),
  body: ChatBody,
  /** The author's public identity (Ed25519 and X25519 keys); the roster says which peer it belongs to. */
  author: PublicIdentityText,
  /** The author's Ed25519 signature over v, room, id, author, seq, ts and the content (shared/crypto/signing.ts). */
  sig: SignatureText,
};

/** A chat message as its author sends it to the host. */
export const OutgoingChat = v.object(chatFields);

/** A chat message as the host delivers it: the author's envelope plus the author's name from the roster. */
export const DeliveredChat = v.object({ ...chatFields, name: DisplayName });

/** An authored chat message, as inferred from its schema. */
export type OutgoingChat = v.InferOutput<typeof OutgoingChat>;
/** A delivered chat message, as inferred from its schema. */
export type DeliveredChat = v.InferOutput<typeof DeliveredChat>;
