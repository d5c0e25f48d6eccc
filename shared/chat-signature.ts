import { chatParts, type ChatParts } from './chat-content.ts';
import { fromBase64url, toBase64url } from './crypto/encoding.ts';
import { encodePublicIdentity, parsePublicIdentity, type Identity, type PublicIdentity } from './crypto/identity.ts';
import { signMessage, verifyMessage, type MessageHeader } from './crypto/signing.ts';
import { Ed25519Key, SIGNATURE_BYTES } from './crypto/primitives.ts';
import type { OutgoingChat } from './protocol/envelope.ts';
import { err, type Result } from './result.ts';

/**
 * Signing and checking chat envelopes: the author signs v, room, id, its public identity, seq, ts and the content
 * (open text; a private room's nonce and ciphertext; a DM's recipient, nonce and ciphertext: see
 * shared/crypto/signing.ts for the exact bytes), so the relaying host can neither forge, alter, renumber, redirect
 * nor move a message to another room. Not signed: the author's peer id (`from`), a DM's `to` (a routing hint) and
 * the name the host adds; receivers take the name from the identity, which the roster ties to a person.
 */

/** A chat envelope before it is signed. */
export type UnsignedChat = Omit<OutgoingChat, 'author' | 'sig'>;

/** Why a chat did not check out. */
export interface ChatCheckError {
  readonly code: 'ERR_BAD_SIGNATURE';
  readonly message: string;
}

/**
 * Signs `chat`, written in `room`, as `identity`, over whatever its body is (seal first: the signature covers the
 * sealed bytes, not the text). Throws when the body does not decode (caller misuse).
 */
export function signChat(identity: Identity, room: string, chat: UnsignedChat): OutgoingChat {
  const author = encodePublicIdentity(identity.publicIdentity);
  const parts = chatParts(room, { ...chat, author });
  if (!parts.ok) throw new Error(parts.error);
  return { ...chat, author, sig: toBase64url(signMessage(identity, parts.value.header, parts.value.content)) };
}

/**
 * Checks chat signatures of every kind, remembering the identities it has read (a room has few authors; reading a
 * key checks that it is a valid curve point, which costs as much as a signature check). No I/O, no module state.
 */
export class ChatVerifier {
  readonly #identities = new Map<string, PublicIdentity | null>();
  /** Each author's signing key, decoded once, and how many of its signatures were checked. */
  readonly #keys = new Map<string, { readonly key: Ed25519Key | null; checks: number }>();
  /** Keys given a table of multiples (see Ed25519Key.tabulate), at most MAX_KEY_TABLES. */
  #tables = 0;
  readonly #room: string;

  constructor(room: string) {
    this.#room = room;
  }

  /**
   * Whether `chat` was signed, as it stands, by the identity in its `author` field, in this room; if so, its header
   * and content, decoded. Never throws.
   */
  check(chat: OutgoingChat): Result<ChatParts, ChatCheckError> {
    const parts = this.read(chat);
    const signature = fromBase64url(chat.sig, SIGNATURE_BYTES);
    if (!parts.ok) return parts;
    if (!signature.ok) return err(bad('the signature is malformed'));
    const verified = verifyMessage(parts.value.header, parts.value.content, signature.value, this.#key(chat.author, parts.value.header));
    return verified.ok ? parts : err(bad(verified.error.message));
  }

  /**
   * The author's key, tabled from its third check on: a host checks every message it relays and each joining member
   * the history's, mostly by a few authors; the bound keeps a flood of made-up authors from costing memory.
   */
  #key(text: string, header: MessageHeader): Ed25519Key | null {
    let known = this.#keys.get(text);
    if (known === undefined) {
      if (this.#keys.size >= MAX_REMEMBERED_IDENTITIES) {
        this.#keys.clear();
        this.#tables = 0;
      }
      known = { key: Ed25519Key.from(header.author.signing), checks: 0 };
      this.#keys.set(text, known);
    }
    known.checks += 1;
    if (known.checks === CHECKS_BEFORE_TABLE + 1 && known.key !== null && this.#tables < MAX_KEY_TABLES) {
      known.key.tabulate();
      this.#tables += 1;
    }
    return known.key;
  }

  /** The header and content of `chat` in this room, decoded but not checked. Never throws. */
  read(chat: OutgoingChat): Result<ChatParts, ChatCheckError> {
    const parts = chatParts(this.#room, chat, (text) => this.#identity(text));
    return parts.ok ? parts : err(bad(parts.error));
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
/** Checks of an author's signatures before its key gets a table (which costs about three checks, and pays off after five). */
const CHECKS_BEFORE_TABLE = 2;
/** Keys a verifier keeps tables for (about 100 KiB each): more than the authors a room of 100 keeps writing. */
const MAX_KEY_TABLES = 64;

function bad(message: string): ChatCheckError {
  return { code: 'ERR_BAD_SIGNATURE', message };
}
