import { msg } from '@lit/localize';
import { createInviteSecret, formatInviteSecret, parseInviteSecret } from '../../../shared/crypto/invite.ts';
import { derivePrivateRoom, type PrivateRoom } from '../../../shared/crypto/private-room.ts';
import { systemRandom, type RandomBytes } from '../../../shared/crypto/random.ts';
import { readInviteFragment } from './invite.ts';

// The link helpers need no cryptography, so they live with the other link code, which the join form loads at once.
export { withFragment, withoutFragment } from './invite.ts';

/**
 * Private rooms as the page sees them: the invite secret lives in the link's fragment (`#…`), which browsers never
 * send to a server, is read once when the page opens and then leaves the address bar. Everything else about the room
 * (its id, its keys) is derived from the secret in the browser (shared/crypto/private-room.ts).
 */

/** A private room this page can join: the secret as the link writes it, and what derives from it. */
export interface PrivateInvite {
  /** The secret in link form (48 characters), to put back after `#` in the invite link. */
  readonly secret: string;
  readonly room: PrivateRoom;
}

/** What a page URL's fragment holds: nothing, a private room's secret, or something that is not a valid one. */
export type FragmentInvite =
  | { readonly kind: 'none' }
  | { readonly kind: 'private'; readonly invite: PrivateInvite }
  | { readonly kind: 'invalid'; readonly message: string };

/** The sentence a person reads for a link whose secret is cut short, edited or mistyped, in the language shown. */
export function invalidInviteText(): string {
  return msg('This invite link is not valid: it may have been cut short or changed. Ask for the link again.', { id: 'invite.invalid' });
}

/**
 * Reads the secret in a page URL's fragment (see readInviteFragment). No secret (no fragment, or only a room title) is
 * no invite; anything else must be a valid secret.
 */
export function readFragment(pageUrl: URL): FragmentInvite {
  const fragment = readInviteFragment(pageUrl).secret;
  if (fragment.length === 0) return { kind: 'none' };
  const invite = privateInviteFrom(fragment);
  return invite === null ? { kind: 'invalid', message: invalidInviteText() } : { kind: 'private', invite };
}

/** The invite for a secret in link form, or null when it is not a valid one. */
export function privateInviteFrom(secret: string): PrivateInvite | null {
  const parsed = parseInviteSecret(secret);
  return parsed.ok ? { secret: formatInviteSecret(parsed.value), room: derivePrivateRoom(parsed.value) } : null;
}

/** A new private room with a fresh 256-bit secret (from the system's random source unless told). */
export function newPrivateInvite(random: RandomBytes = systemRandom): PrivateInvite {
  const secret = createInviteSecret(random);
  return { secret: formatInviteSecret(secret), room: derivePrivateRoom(secret) };
}
