import { msg, str } from '@lit/localize';
import { nameKey } from '../../../shared/roster.ts';

/** A roster member as the /msg command matches it. */
export interface Addressee {
  readonly id: string;
  readonly name: string;
}

/** What the composer does with what was typed. */
export type DirectCommand =
  /** Not a /msg command: a room message. */
  | { readonly kind: 'room' }
  /** A private message to the member `peerId` (named `name`). */
  | { readonly kind: 'direct'; readonly peerId: string; readonly name: string; readonly text: string }
  /** A /msg command that cannot go, and why (for the person). */
  | { readonly kind: 'error'; readonly message: string };

const COMMAND = /^\/msg(?:\s+|$)/i;

/**
 * Reads `/msg NAME text`. Names may contain spaces, so NAME is the longest name in the room that the rest of the line
 * starts with (compared as names are, ignoring case and Unicode compatibility forms), followed by a space: with Ann
 * and Ann Lee in the room, `/msg Ann Lee hi` goes to Ann Lee and `/msg Ann Leeds` to Ann. The text is what follows
 * the name. Refused with a reason: no name, a name that matches nobody, oneself, no text.
 */
export function parseDirectCommand(input: string, members: readonly Addressee[], selfId: string): DirectCommand {
  const command = COMMAND.exec(input);
  if (command === null) return { kind: 'room' };
  const rest = input.slice(command[0].length);
  if (rest.trim().length === 0) return error(msg('Write a name from People and the message after /msg, for example: /msg Bob hello', { id: 'direct.no-name' }));
  const match = longestNameAtStart(rest, members);
  if (match === undefined) {
    const word = rest.trim().split(/\s+/)[0] ?? '';
    return error(msg(str`No one called “${word}” is in the room. Check the name in People.`, { id: 'direct.unknown' }));
  }
  if (match.id === selfId) return error(msg('That is you: private messages go to someone else.', { id: 'direct.self' }));
  const text = rest.slice(match.name.length).trim();
  if (text.length === 0) return error(msg(str`Write the message after the name, for example: /msg ${match.name} hello`, { id: 'direct.no-text' }));
  return { kind: 'direct', peerId: match.id, name: match.name, text };
}

/** The member with the longest name that `text` starts with, followed by whitespace or the end. */
function longestNameAtStart(text: string, members: readonly Addressee[]): Addressee | undefined {
  let best: Addressee | undefined;
  for (const member of members) {
    const head = text.slice(0, member.name.length);
    const next = text.charAt(member.name.length);
    if (nameKey(head) !== nameKey(member.name) || (next !== '' && !/\s/.test(next))) continue;
    if (best === undefined || member.name.length > best.name.length) best = member;
  }
  return best;
}

function error(message: string): DirectCommand {
  return { kind: 'error', message };
}
