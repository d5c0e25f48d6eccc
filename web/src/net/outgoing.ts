import { MAX_TEXT_LENGTH } from '../../../shared/limits.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import type { Roster } from '../../../shared/roster.ts';
import type { DeliveredChat, FileDescription } from '../../../shared/protocol/envelope.ts';
import { HostRole } from './host-role.ts';
import type { MemberRole } from './member-role.ts';
import type { RoomLog } from './room-log.ts';
import type { DirectTarget, SessionError } from './session-types.ts';

/**
 * Whether `text` can be written as it stands (not empty, not over-long), and for a private message to the roster
 * member `to`, who it goes to (see {@link directTarget}); undefined for a room message.
 */
export function outgoing(text: string, roster: Roster, selfId: string, to?: string): Result<DirectTarget | undefined, SessionError> {
  if (text.trim().length === 0) return err({ code: 'ERR_EMPTY' });
  if (text.length > MAX_TEXT_LENGTH) {
    return err({ code: 'ERR_TOO_LONG', limit: MAX_TEXT_LENGTH });
  }
  return to === undefined ? ok(undefined) : directTarget(roster, selfId, to);
}

/**
 * Who a private message to the roster member `peerId` goes to: their peer id, key and name. Refused for someone not
 * in the room, for oneself, and for someone whose browser announced no keys.
 */
export function directTarget(roster: Roster, selfId: string, peerId: string): Result<DirectTarget, SessionError> {
  const member = roster.members.find((entry) => entry.id === peerId);
  if (member === undefined) return err({ code: 'ERR_NO_RECIPIENT' });
  if (member.id === selfId) return err({ code: 'ERR_SELF_RECIPIENT' });
  if (member.identity === undefined) {
    return err({ code: 'ERR_NO_KEYS', detail: member.name });
  }
  return ok({ peerId: member.id, identity: member.identity, name: member.name });
}

/**
 * Writes this person's signed file announcement into `log` (sealed in a private room, or for `direct` alone) and
 * sends it as a message is sent (see {@link post}).
 */
export function postFile(log: RoomLog, role: HostRole | MemberRole | null, selfId: string | undefined, name: string, file: FileDescription, direct?: DirectTarget): Result<DeliveredChat, SessionError> {
  if (selfId === undefined) return err({ code: 'ERR_NOT_CONNECTED' });
  const hosting = role instanceof HostRole;
  const written = log.write(selfId, name, { file }, hosting, direct);
  if (!written.ok) return written;
  if (hosting) role.broadcastOwn(written.value.delivered);
  else role?.send(written.value.outgoing);
  return ok(written.value.delivered);
}

/**
 * A message to write: by whom (peer id, undefined before the server gave one, and name), what, and for a private
 * message the roster member it is for.
 */
export interface Post {
  readonly selfId: string | undefined;
  readonly name: string;
  readonly roster: Roster;
  readonly text: string;
  readonly to?: string | undefined;
}

/**
 * Writes a message into `log` and sends it through the role this tab plays. Refuses it before the server admitted
 * this tab (no peer id), empty or over-long text, and a
 * private message to someone not in the room, to oneself or to someone without keys. While the host is out of reach
 * (no role, or a link not open) the message waits, marked pending, and goes out on the next link to a host.
 */
export function post(log: RoomLog, role: HostRole | MemberRole | null, message: Post): Result<DeliveredChat, SessionError> {
  const { selfId } = message;
  if (selfId === undefined) return err({ code: 'ERR_NOT_CONNECTED' });
  const direct = outgoing(message.text, message.roster, selfId, message.to);
  if (!direct.ok) return direct;
  const hosting = role instanceof HostRole;
  const written = log.write(selfId, message.name, message.text, hosting, direct.value);
  if (!written.ok) return written;
  if (hosting) role.broadcastOwn(written.value.delivered);
  else role?.send(written.value.outgoing);
  return ok(written.value.delivered);
}
