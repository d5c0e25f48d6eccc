import { fromBase64url, toBase64url } from './crypto/encoding.ts';
import { encodePublicIdentity, parsePublicIdentity, type Identity, type PublicIdentity } from './crypto/identity.ts';
import { signMessage, verifyMessage, type MessageHeader } from './crypto/signing.ts';
import { SIGNATURE_BYTES } from './crypto/primitives.ts';
import type { OutgoingChat } from './protocol/envelope.ts';
import { err, ok, type Result } from './result.ts';

/**
 * Signing and checking chat envelopes: the author signs v, room, id, its public identity, seq, ts and text (see
 * shared/crypto/signing.ts for the exact bytes), so the relaying host can neither forge, alter, renumber nor move a
 * message to another room. Not signed: the author's peer id (`from`) and the name the host adds; receivers take the
 * name from the identity, which the roster ties to a person.
 */

/** A chat envelope before it is signed. */
export type UnsignedChat = Omit<OutgoingChat, 'author' | 'sig'>;

/** Why a chat did not check out. */
export interface ChatCheckError {
  readonly code: 'ERR_BAD_SIGNATURE';
  readonly message: string;
}

/** Signs `chat`, written in `room`, as `identity`. */
export function signChat(identity: Identity, room: string, chat: UnsignedChat): OutgoingChat {
  const author = encodePublicIdentity(identity.publicIdentity);
  const signature = signMessage(identity, header(room, chat, identity.publicIdentity), { kind: 'room', text: chat.body.text });
  return { ...chat, author, sig: toBase64url(signature) };
}

/**
 * Checks chat signatures, remembering the identities it has read (a room has few authors; reading a key checks
 * that it is a valid curve point, which costs as much as a signature check). No I/O, no module state.
 */
export class ChatVerifier {
  readonly #identities = new Map<string, PublicIdentity | null>();
  readonly #room: string;

  constructor(room: string) {
    this.#room = room;
  }

  /** Whether `chat` was signed, as it stands, by the identity in its `author` field, in this room. Never throws. */
  check(chat: OutgoingChat): Result<true, ChatCheckError> {
    const author = this.#identity(chat.author);
    const signature = fromBase64url(chat.sig, SIGNATURE_BYTES);
    if (author === null || !signature.ok) return err(bad('the signature or the author key is malformed'));
    const verified = verifyMessage(header(this.#room, chat, author), { kind: 'room', text: chat.body.text }, signature.value);
    return verified.ok ? ok(true) : err(bad(verified.error.message));
  }

  #identity(text: string): PublicIdentity | null {
    let identity = this.#identities.get(text);
    if (identity === undefined) {
      const parsed = parsePublicIdentity(text);
      identity = parsed.ok ? parsed.value : null;
      // Bounded: a flood of made-up keys must not grow this without end.
      if (this.#identities.size >= MAX_REMEMBERED_IDENTITIES) this.#identities.clear();
      this.#identities.set(text, identity);
    }
    return identity;
  }
}

/** Identities a verifier keeps parsed; more than a room ever has. */
const MAX_REMEMBERED_IDENTITIES = 1000;

function header(room: string, chat: UnsignedChat, author: PublicIdentity): MessageHeader {
  return { v: chat.v, room, id: chat.id, author, seq: chat.seq, ts: chat.ts };
}

function bad(message: string): ChatCheckError {
  return { code: 'ERR_BAD_SIGNATURE', message };
}
