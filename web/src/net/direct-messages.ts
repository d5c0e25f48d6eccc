import { MAX_DIRECT_CHANNELS } from '../../../shared/limits.ts';
import {
  openDirectChannel,
  openDirectMessage,
  sealDirectMessage,
  type DirectChannel,
  type DirectContent,
} from '../../../shared/crypto/direct-message.ts';
import { cryptoError, type CryptoError } from '../../../shared/crypto/errors.ts';
import { encodePublicIdentity, sameIdentity, type Identity, type PublicIdentity } from '../../../shared/crypto/identity.ts';
import type { RandomBytes } from '../../../shared/crypto/random.ts';
import type { Attachment, MessageHeader } from '../../../shared/crypto/signing.ts';
import { ok, type Result } from '../../../shared/result.ts';

/**
 * This person's direct messages, sealed and opened through one {@link DirectChannel} per peer key. Agreeing a
 * channel costs an X25519 step (milliseconds in pure JS), so channels are kept, at most MAX_DIRECT_CHANNELS, the
 * least recently used dropped first. Holds secrets in memory only.
 */
export class DirectMessages {
  readonly #own: Identity;
  readonly #random: RandomBytes;
  readonly #limit: number;
  /** Peer identity (as text) → channel, least recently used first. */
  readonly #channels = new Map<string, DirectChannel>();

  constructor(own: Identity, random: RandomBytes, limit: number = MAX_DIRECT_CHANNELS) {
    this.#own = own;
    this.#random = random;
    this.#limit = limit;
  }

  /** Channels currently kept (for tests of the bound). */
  get size(): number {
    return this.#channels.size;
  }

  /** Seals `text` for `recipient`, bound to `header` (and `attach`); an error for a recipient key that cannot agree one. */
  seal(header: MessageHeader, recipient: PublicIdentity, text: string, attach?: Attachment): Result<DirectContent, CryptoError> {
    const channel = this.#channel(recipient);
    return channel.ok ? ok(sealDirectMessage(channel.value, header, text, this.#random, attach)) : channel;
  }

  /** Whether this person wrote or receives a DM of this author and recipient. */
  isParty(author: PublicIdentity, recipient: PublicIdentity): boolean {
    return sameIdentity(author, this.#own.publicIdentity) || sameIdentity(recipient, this.#own.publicIdentity);
  }

  /**
   * Opens a DM this person wrote or receives: `ERR_NOT_A_PARTY` for one between others, `ERR_DECRYPT` for any
   * changed byte. Verify its signature first. Never throws.
   */
  open(header: MessageHeader, content: DirectContent): Result<string, CryptoError> {
    const own = this.#own.publicIdentity;
    const peer = sameIdentity(header.author, own) ? content.recipient : header.author;
    if (!this.isParty(header.author, content.recipient)) {
      return cryptoError('ERR_NOT_A_PARTY', 'this private message is between other people');
    }
    const channel = this.#channel(peer);
    return channel.ok ? openDirectMessage(channel.value, header, content) : channel;
  }

  #channel(peer: PublicIdentity): Result<DirectChannel, CryptoError> {
    const key = encodePublicIdentity(peer);
    const kept = this.#channels.get(key);
    if (kept !== undefined) {
      this.#channels.delete(key);
      this.#channels.set(key, kept);
      return ok(kept);
    }
    const opened = openDirectChannel(this.#own, peer);
    if (!opened.ok) return opened;
    if (this.#channels.size >= this.#limit) this.#channels.delete(this.#channels.keys().next().value as string);
    this.#channels.set(key, opened.value);
    return opened;
  }
}
