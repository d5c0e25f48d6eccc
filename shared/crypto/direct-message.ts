import { ok, type Result } from '../result.ts';
import { encodeFields } from './encoding.ts';
import { cryptoError, type CryptoError } from './errors.ts';
import { publicIdentityBytes, sameIdentity, type Identity, type PublicIdentity } from './identity.ts';
import { Label } from './labels.ts';
import { AEAD_KEY_BYTES, hkdfSha256, x25519SharedSecret } from './primitives.ts';
import type { RandomBytes } from './random.ts';
import { openText, sealText } from './sealed.ts';
import { associatedData, type Attachment, type MessageContent, type MessageHeader } from './signing.ts';

/**
 * Direct messages: text only its author and recipient can read. The key of the direction sender → recipient is
 *
 *   HKDF-SHA256(ikm = X25519(own X25519 secret, other's X25519 public), salt = none,
 *               info = "ChatUs v1 direct message key" ‖ sender identity ‖ recipient identity, 32 bytes)
 *
 * (length-prefixed), so the two directions have different keys and the key is bound to both whole identities.
 * The text is sealed with XChaCha20-Poly1305 under a random nonce, with the message's header, kind and recipient
 * as associated data; the author then signs the sealed content (see signing.ts). Static keys, so no forward
 * secrecy: whoever later steals an identity seed can read that identity's recorded DMs.
 *
 * The X25519 step costs milliseconds in pure JS, so it runs once per peer: keep the {@link DirectChannel} (for
 * example in a Map keyed by the peer's identity text) and seal and open through it.
 */

/** A direct message's content as it travels: the recipient and the sealed text. */
export type DirectContent = Extract<MessageContent, { kind: 'dm' }>;

/** The two keys between one's own identity and one peer. Holds secrets: keep it in memory, never send or log it. */
export interface DirectChannel {
  readonly own: PublicIdentity;
  readonly peer: PublicIdentity;
  /** Key of own → peer messages. */
  readonly sendKey: Uint8Array;
  /** Key of peer → own messages. */
  readonly receiveKey: Uint8Array;
}

/**
 * Agrees the keys of both directions between `own` and `peer` (one X25519 and two HKDF calls). Refuses a peer whose
 * X25519 key is of small order. Never throws for a bad peer key.
 */
export function openDirectChannel(own: Identity, peer: PublicIdentity): Result<DirectChannel, CryptoError> {
  const shared = x25519SharedSecret(own.agreementSecret, peer.agreement);
  if (!shared.ok) return shared;
  const keyOf = (sender: PublicIdentity, recipient: PublicIdentity): Result<Uint8Array, CryptoError> => {
    const info = encodeFields([
      { text: Label.directMessageKey },
      { bytes: publicIdentityBytes(sender) },
      { bytes: publicIdentityBytes(recipient) },
    ]);
    return info.ok ? ok(hkdfSha256(shared.value, undefined, info.value, AEAD_KEY_BYTES)) : info;
  };
  const sendKey = keyOf(own.publicIdentity, peer);
  if (!sendKey.ok) return sendKey;
  const receiveKey = keyOf(peer, own.publicIdentity);
  if (!receiveKey.ok) return receiveKey;
  return ok({ own: own.publicIdentity, peer, sendKey: sendKey.value, receiveKey: receiveKey.value });
}

/**
 * Seals `text` for the channel's peer, bound to `header` (and for a file announcement, to its `attach`). Throws when
 * `header.author` is not the channel's own identity or a header field is out of range (caller misuse).
 */
export function sealDirectMessage(
  channel: DirectChannel,
  header: MessageHeader,
  text: string,
  random: RandomBytes,
  attach?: Attachment,
): DirectContent {
  if (!sameIdentity(channel.own, header.author)) throw new Error('header.author is not the channel’s own identity');
  const ad = associatedData(header, { kind: 'dm', recipient: channel.peer, attach });
  if (!ad.ok) throw new Error(ad.error.message);
  const sealed = sealText(channel.sendKey, text, ad.value, random);
  return attach ? { kind: 'dm', recipient: channel.peer, sealed, attach } : { kind: 'dm', recipient: channel.peer, sealed };
}

/**
 * Opens a DM of this channel: one the peer sent to own identity, or one own identity sent to the peer (an author
 * re-reads what it sent). `ERR_NOT_A_PARTY` for a DM between other people; `ERR_DECRYPT` for any changed byte of
 * header, recipient, nonce or ciphertext. Verify the signature first (signing.ts). Never throws.
 */
export function openDirectMessage(
  channel: DirectChannel,
  header: MessageHeader,
  content: DirectContent,
): Result<string, CryptoError> {
  const key = channelKey(channel, header.author, content.recipient);
  if (key === undefined) return cryptoError('ERR_NOT_A_PARTY', 'this direct message is not between these two people');
  const ad = associatedData(header, { kind: 'dm', recipient: content.recipient, attach: content.attach });
  if (!ad.ok) return ad;
  return openText(key, content.sealed, ad.value);
}

function channelKey(channel: DirectChannel, author: PublicIdentity, recipient: PublicIdentity): Uint8Array | undefined {
  if (sameIdentity(author, channel.peer) && sameIdentity(recipient, channel.own)) return channel.receiveKey;
  if (sameIdentity(author, channel.own) && sameIdentity(recipient, channel.peer)) return channel.sendKey;
  return undefined;
}
