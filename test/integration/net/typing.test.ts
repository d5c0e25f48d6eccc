import { describe, expect, it } from 'vitest';
import { useNetFixture } from '../../support/net-fixture.ts';
import { newPrivateRoom } from '../../support/private-room.ts';
import { chatLines, until } from '../../support/sessions.ts';

const net = useNetFixture();

/** The names `snapshot` shows as typing, in one string. */
const typingIn = (session: { snapshot(): { typing: readonly string[] } }): string => session.snapshot().typing.join(', ');

describe('typing between room sessions over real WebRTC (Node peers)', () => {
  it('goes member → host → member, clears on the message, and goes when the typist leaves', async () => {
    const pool = await net.start();
    const hana = await pool.join('t1', 'Hana');
    const [ann, bob] = await Promise.all([pool.join('t1', 'Ann'), pool.join('t1', 'Bob')]);
    // Everyone hears everyone first: the host relays only on links it has seen open (as it does chat).
    expect(ann.send('hi').ok && bob.send('hi').ok).toBe(true);
    await until(ann, (s) => chatLines(s).includes('Bob: hi'));
    await until(bob, (s) => chatLines(s).includes('Ann: hi'));
    ann.typing.composing(true);
    await until(bob, (s) => s.typing.join() === 'Ann');
    await until(hana, (s) => s.typing.join() === 'Ann');
    expect(typingIn(ann)).toBe('');
    hana.typing.composing(true);
    await until(bob, (s) => s.typing.join() === 'Hana,Ann');

    expect(ann.send('done typing').ok).toBe(true);
    ann.typing.sent();
    const seen = await until(bob, (s) => chatLines(s).includes('Ann: done typing'));
    expect(seen.typing).toEqual(['Hana']);
    // Typing is never stored: the log holds the message and nothing of the typing.
    expect(chatLines(seen).filter((line) => line.startsWith('Ann'))).toEqual(['Ann: hi', 'Ann: done typing']);

    hana.leave();
    // Bob's next host is Ann; Hana's typing went with her.
    await until(bob, (s) => s.roster.members.length === 2 && s.typing.length === 0);
  });

  it('works in a private room too, where nothing else goes unsealed', async () => {
    const pool = await net.start();
    const { room } = newPrivateRoom();
    const hana = await pool.join(room.roomId, 'Hana', { privateRoom: room });
    const ann = await pool.join(room.roomId, 'Ann', { privateRoom: room });
    await until(ann, (s) => s.linkedToHost);
    ann.typing.composing(true);
    await until(hana, (s) => s.typing.join() === 'Ann');
    ann.typing.composing(false);
    await until(hana, (s) => s.typing.length === 0);
  });
});
