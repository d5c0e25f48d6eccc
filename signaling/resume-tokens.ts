import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Resume tokens: an HMAC of room and peer id under a server secret, so a client can come back as the same peer id
 * after its socket dropped, and nobody else can claim that id. Stateless, so nothing is stored per client; a server
 * started with the same secret (RESUME_SECRET) honours the tokens of its predecessor.
 */
export class ResumeTokens {
  /** A key object rather than bytes: `createHmac` then skips preparing the key on every token (a join issues one). */
  readonly #secret: KeyObject;

  /** `secret` of at least 16 bytes; a random one when omitted (tokens then die with the process). */
  constructor(secret: string | undefined) {
    this.#secret = createSecretKey(secret ? Buffer.from(secret, 'utf8') : randomBytes(32));
  }

  /** The token for a peer id in a room. */
  issue(roomId: string, peerId: string): string {
    return createHmac('sha256', this.#secret).update(`${roomId}\u0000${peerId}`).digest('base64url');
  }

  /** Whether `token` was issued for this peer id in this room. Constant-time. */
  verify(roomId: string, peerId: string, token: string): boolean {
    const expected = Buffer.from(this.issue(roomId, peerId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
