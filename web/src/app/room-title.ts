import { MAX_ROOM_TITLE_LENGTH } from '../../../shared/limits.ts';

/** Control (Cc), format (Cf: zero-width, bidi overrides) and line/paragraph separator characters. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * A room title as the page may show it, from whatever an invite link or a person typed: control, format and
 * separator characters become spaces (a bidi override could otherwise turn the rest of the header around), runs of
 * white space become one, the ends are trimmed, and at most MAX_ROOM_TITLE_LENGTH characters are kept (whole code
 * points, so an emoji is never cut in half). Components still bind it as text, never as HTML.
 */
export function cleanRoomTitle(raw: string): string {
  // A leading "(3) " would read as the tab title's unread count.
  const spaced = raw.replace(INVISIBLE, ' ').replace(/\s+/gu, ' ').trim().replace(/^(\(\d+\)\s*)+/u, '');
  return Array.from(spaced).slice(0, MAX_ROOM_TITLE_LENGTH).join('').trimEnd();
}

/** The tab's title: the room's title before the app's name, or the app's name alone. */
export function pageTitle(roomTitle: string): string {
  return roomTitle ? `${roomTitle} · ChatUs` : 'ChatUs';
}
