import { ErrorCode } from '../shared/errors.ts';
import { privateRoomText, type AccessError } from './private-rooms.ts';
import type { JoinError } from './rooms.ts';

/** The room service's refusals: a stable code and a sentence for people, one place for each. */

/** A request refused with a stable code and a text for people. */
export interface Refusal {
  readonly code: ErrorCode;
  readonly message: string;
}

/** A signal to someone it may not go to. */
export const badTarget: Refusal = {
  code: ErrorCode.BadTarget,
  message: 'signals go only between a member and the host of the same room',
};

/** An offer past the offer limit. */
export const tooManyOffers: Refusal = {
  code: ErrorCode.TooManyOffers,
  message: 'too many offers to the host; the host was not asked to link again, wait a second',
};

/** The answer to a request the registry failed: nothing changed, and the client may retry. */
export const unavailable: Refusal = {
  code: ErrorCode.Unavailable,
  message: 'the server could not reach its room registry; nothing changed, try again shortly',
};

/** A join refused on account of the room's access. */
export function accessRefusal(code: AccessError): Refusal {
  return { code, message: privateRoomText(code) };
}

/** The sentence for a refused join. */
export function joinErrorText(code: JoinError, name: string): string {
  switch (code) {
    case ErrorCode.NameTaken:
      return `the name "${name}" is taken in this room; pick another`;
    case ErrorCode.RoomFull:
      return 'the room is full; try again later or use another room';
    default:
      return privateRoomText(code);
  }
}
