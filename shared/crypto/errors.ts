import { err, type Result } from '../result.ts';

/**
 * Why a cryptographic check refused its input. These are results, never throws: the input came from a peer, the
 * host, the server or a pasted link. `code` is stable; `message` is for logs and people and never holds key
 * material or plaintext.
 */
export type CryptoErrorCode =
  /** Not base64url, not canonical, the wrong length, or text that is not well-formed Unicode. */
  | 'ERR_BAD_ENCODING'
  /** A public key that is not a valid curve point, is of small order, or gave an all-zero shared secret. */
  | 'ERR_BAD_KEY'
  /** A signature that does not verify over the canonical bytes. */
  | 'ERR_BAD_SIGNATURE'
  /** Authenticated decryption failed: wrong key, or ciphertext, nonce or associated data changed. */
  | 'ERR_DECRYPT'
  /** A direct message handed to someone who is neither its author nor its recipient. */
  | 'ERR_NOT_A_PARTY'
  /** An invite secret that is not the right length, alphabet, version or checksum. */
  | 'ERR_BAD_INVITE';

/** A refused cryptographic input. */
export interface CryptoError {
  readonly code: CryptoErrorCode;
  readonly message: string;
}

/** Wraps a refusal as a failed Result. */
export function cryptoError(code: CryptoErrorCode, message: string): Result<never, CryptoError> {
  return err({ code, message });
}
