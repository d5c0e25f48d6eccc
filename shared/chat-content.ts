import { encodePublicIdentity, parsePublicIdentity, type PublicIdentity } from './crypto/identity.ts';
import type { MessageContent, MessageHeader } from './crypto/signing.ts';
import { decodeSealed, encodeSealed } from './crypto/wire.ts';
import { fromBase64url } from './crypto/encoding.ts';

/** Bytes of a SHA-256 digest. */
const SHA256_BYTES = 32;
import type { ChatBody, OutgoingChat } from './protocol/envelope.ts';
import { err, ok, type Result } from './result.ts';

/**
 * Between a chat envelope's wire fields and what its author signed (shared/crypto/signing.ts): the header (v, room,
 * id, author, seq, ts) and the content (open text, room-sealed text, or a DM's recipient and sealed text; an open file,
 * or a sealed one's attachment). The DM's
 * `to` (a peer id, for routing) is not content: it is not signed and may go stale.
 */

/** A chat's signed parts, decoded. */
export interface ChatParts {
  readonly header: MessageHeader;
  readonly content: MessageContent;
}

/** Reads a public identity from its text, or null when it is not one. */
export type IdentityReader = (text: string) => PublicIdentity | null;

/** The default reader: parses every time. */
export const readIdentity: IdentityReader = (text) => {
  const parsed = parsePublicIdentity(text);
  return parsed.ok ? parsed.value : null;
};

/** The header and content of `chat` written in `room`; an error names what does not decode. Never throws. */
export function chatParts(room: string, chat: Omit<OutgoingChat, 'sig'>, identityOf: IdentityReader = readIdentity): Result<ChatParts, string> {
  const author = identityOf(chat.author);
  if (author === null) return err('the author key is malformed');
  const header: MessageHeader = { v: chat.v, room, id: chat.id, author, seq: chat.seq, ts: chat.ts };
  const content = contentOf(chat.body, identityOf);
  return content.ok ? ok({ header, content: content.value }) : content;
}

/** What a body says, as signing.ts signs it. Never throws. */
export function contentOf(body: ChatBody, identityOf: IdentityReader = readIdentity): Result<MessageContent, string> {
  if (body.text !== undefined) return ok({ kind: 'room', text: body.text });
  if (body.file !== undefined) {
    const sha256 = fromBase64url(body.file.sha256, SHA256_BYTES);
    if (!sha256.ok) return err('the file hash is malformed');
    const { transfer, name, size, type } = body.file;
    return ok({ kind: 'file', file: { transfer, name, size, type, sha256: sha256.value } });
  }
  if (body.sealed === undefined) return err('the body has no content');
  const sealed = decodeSealed(body.sealed);
  if (!sealed.ok) return err('the sealed text is malformed');
  const attach = body.attach && { transfer: body.attach.transfer, size: body.attach.size };
  if (body.to === undefined) return ok(attach ? { kind: 'room-sealed', sealed: sealed.value, attach } : { kind: 'room-sealed', sealed: sealed.value });
  const recipient = identityOf(body.recipient);
  if (recipient === null) return err('the recipient key is malformed');
  return ok(attach ? { kind: 'dm', recipient, sealed: sealed.value, attach } : { kind: 'dm', recipient, sealed: sealed.value });
}

/** The wire body of sealed content; a DM's also carries `to`, the recipient's peer id now. Throws without it. */
export function sealedBody(content: Extract<MessageContent, { kind: 'room-sealed' | 'dm' }>, to?: string): ChatBody {
  const sealed = encodeSealed(content.sealed);
  const attach = content.attach && { transfer: content.attach.transfer, size: content.attach.size };
  if (content.kind === 'room-sealed') return attach ? { sealed, attach } : { sealed };
  if (to === undefined) throw new Error('a direct message needs the peer id of its recipient');
  const direct = { to, recipient: encodePublicIdentity(content.recipient), sealed };
  return attach ? { ...direct, attach } : direct;
}

/** A copy of a checked body, built field by field (the host never forwards what it received with edits). */
export function copyBody(body: ChatBody): ChatBody {
  if (body.text !== undefined) return { text: body.text };
  if (body.file !== undefined) {
    const { transfer, name, size, type, sha256 } = body.file;
    return { file: { transfer, name, size, type, sha256 } };
  }
  if (body.sealed === undefined) throw new Error('a checked body has content');
  const sealed = { nonce: body.sealed.nonce, ciphertext: body.sealed.ciphertext };
  const copy: ChatBody = body.to === undefined ? { sealed } : { to: body.to, recipient: body.recipient, sealed };
  return body.attach === undefined ? copy : { ...copy, attach: { transfer: body.attach.transfer, size: body.attach.size } };
}
