import { describe, expect, it } from 'vitest';
import { MAX_ROOM_TITLE_LENGTH } from '../../../shared/limits.ts';
import { readInviteFragment, withFragment, type InviteFragment } from '../../../web/src/app/invite.ts';
import { cleanRoomTitle, pageTitle } from '../../../web/src/app/room-title.ts';

describe('room titles', () => {
  it.each([
    ['Book club', 'Book club'],
    ['  spaced   out \t ', 'spaced out'],
    ['bell\u0007and\u0000null', 'bell and null'],
    ['line\nbreak\u2028sep\u2029para', 'line break sep para'],
    ['\u202Eevil override\u202C', 'evil override'],
    ['zero\u200Bwidth', 'zero width'],
    ['<b>bold</b> & "quotes"', '<b>bold</b> & "quotes"'],
    ['مرحبا', 'مرحبا'],
    ['\u0001\u200F', ''],
    // A leading count would read as the tab title's unread count.
    ['(5) Book club', 'Book club'],
    ['(1)(2) x', 'x'],
    ['Club (5)', 'Club (5)'],
  ])('cleans %j to %j', (raw, clean) => {
    expect(cleanRoomTitle(raw)).toBe(clean);
  });

  it(`keeps at most ${MAX_ROOM_TITLE_LENGTH} characters, never half an emoji`, () => {
    expect(cleanRoomTitle('a'.repeat(500))).toBe('a'.repeat(MAX_ROOM_TITLE_LENGTH));
    const emoji = cleanRoomTitle('😀'.repeat(100));
    expect(Array.from(emoji)).toHaveLength(MAX_ROOM_TITLE_LENGTH);
    expect(emoji).toBe('😀'.repeat(MAX_ROOM_TITLE_LENGTH));
    // Cut where a space fell: no space is left at the end.
    expect(cleanRoomTitle(`${'a'.repeat(MAX_ROOM_TITLE_LENGTH - 1)} b`)).toBe('a'.repeat(MAX_ROOM_TITLE_LENGTH - 1));
  });

  it('name the tab', () => {
    expect(pageTitle('Book club')).toBe('Book club · ChatUs');
    expect(pageTitle('')).toBe('ChatUs');
  });
});

describe('invite link fragments', () => {
  const page = new URL('http://chat.lan.test:8080/?server=chat.lan.test%3A8080&room=abc');
  const secret = 'S'.repeat(48);

  it.each<[Partial<InviteFragment>, string]>([
    [{ title: 'Book club' }, '#title=Book+club'],
    [{ secret }, `#${secret}`],
    [{ secret, title: 'Ünïcode & <co>' }, `#${secret}&title=%C3%9Cn%C3%AFcode+%26+%3Cco%3E`],
    [{ secret: '', title: '' }, ''],
  ])('write %j as %s and read it back', (fragment, hash) => {
    const link = withFragment(page, fragment);
    expect(link.hash).toBe(hash);
    expect(link.search).toBe(page.search);
    expect(readInviteFragment(link)).toEqual({ secret: fragment.secret ?? '', title: fragment.title ?? '' });
  });

  it('read a link of before titles (only a secret), a title before the secret, and no fragment', () => {
    expect(readInviteFragment(new URL(`${page.href}#${secret}`))).toEqual({ secret, title: '' });
    expect(readInviteFragment(new URL(`${page.href}#title=T&${secret}`))).toEqual({ secret, title: 'T' });
    expect(readInviteFragment(page)).toEqual({ secret: '', title: '' });
  });

  it('clean the title they carry', () => {
    const link = new URL(`${page.href}#title=${encodeURIComponent(`\u202Ex${'y'.repeat(100)}\u0000`)}`);
    expect(readInviteFragment(link).title).toBe(`x${'y'.repeat(MAX_ROOM_TITLE_LENGTH - 1)}`);
  });
});
