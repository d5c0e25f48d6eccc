/**
 * Every domain-separation label of ChatUs's cryptography in one place: HKDF `info` strings and the tags that open
 * each signed or authenticated byte string. No two uses share a label, so a key, hash or signature made for one
 * purpose is never valid for another. docs/security.md lists them; change both together, and never reuse a label
 * for a different construction (bump `v1` instead).
 */
export const Label = {
  /** HKDF info: the identity's Ed25519 seed, from the 32-byte identity seed. */
  identitySigning: 'ChatUs v1 identity Ed25519 seed',
  /** HKDF info: the identity's X25519 secret, from the 32-byte identity seed. */
  identityAgreement: 'ChatUs v1 identity X25519 secret',
  /** SHA-256 prefix of a public identity's fingerprint. */
  fingerprint: 'ChatUs v1 fingerprint',
  /** Trailing identifier of the safety-number hash chain (Signal puts the phone number here). */
  safetyNumber: 'ChatUs v1 safety number',
  /** First field of the bytes an author signs. */
  signedMessage: 'ChatUs v1 signed message',
  /** First field of a sealed message's associated data. */
  sealedHeader: 'ChatUs v1 sealed message header',
  /** HKDF info prefix: the key of one direction of a direct-message pair. */
  directMessageKey: 'ChatUs v1 direct message key',
  /** SHA-256 prefix of an invite secret's checksum. */
  inviteChecksum: 'ChatUs v1 invite checksum',
  /** HKDF info: a private room's Ed25519 authentication seed. */
  roomAuth: 'ChatUs v1 private room auth seed',
  /** SHA-256 prefix: a private room's id, from its authentication public key. */
  roomId: 'ChatUs v1 private room id',
  /** HKDF info: a private room's key for room messages. */
  roomMessageKey: 'ChatUs v1 private room message key',
  /** HKDF info: a private room's key for SDP/ICE signals. */
  roomSignalKey: 'ChatUs v1 private room signal key',
  /** First field of the bytes a joiner signs with the room authentication key. */
  joinProof: 'ChatUs v1 join proof',
  /** First field of a sealed signal's associated data. */
  sealedSignal: 'ChatUs v1 sealed signal',
  /** First field of a sealed file chunk's associated data. */
  fileChunk: 'ChatUs v1 file chunk',
} as const;
