import { describe, expect, it } from 'vitest';
import { createInviteSecret } from '../../../shared/crypto/invite.ts';
import { derivePrivateRoom } from '../../../shared/crypto/private-room.ts';
import { systemRandom } from '../../../shared/crypto/random.ts';
import type { ChatEntry } from '../../../shared/timeline.ts';
import type { RoomSession, SessionSnapshot } from '../../../web/src/net/room-session.ts';
import { countText, hasText } from '../../support/honest-room.ts';
import { useNetFixture } from '../../support/net-fixture.ts';
import { recordingLinks } from '../../support/recording-links.ts';
import { fastLiveness, until } from '../../support/sessions.ts';
import { testIdentity } from '../../support/signed-chat.ts';

/**
 * Private messages over real data channels through an honest host: only the recipient (and the author) read them,
 * the host shows nothing of DMs between others and carries only ciphertext, and DMs survive the host leaving and a
 * reload, reaching their parties once and nobody else. And private rooms: messages sealed with the room key.
 */

const net = useNetFixture();

const idOf = (session: RoomSession): string => session.snapshot().selfId ?? '';

/** The chat line with this text, if any. */
const lineOf = (snapshot: SessionSnapshot, text: string): ChatEntry | undefined =>
  snapshot.timeline.find((entry): entry is ChatEntry => entry.kind === 'chat' && entry.text === text);

/** Whether a snapshot shows any private line at all. */
const showsPrivate = (snapshot: SessionSnapshot): boolean => snapshot.timeline.some((entry) => entry.kind === 'chat' && entry.direct !== undefined);

/** Sends a DM and fails the test if the session refuses it. */
function dm(from: RoomSession, to: RoomSession, text: string): void {
  const sent = from.privateMessage(idOf(to), text);
  if (!sent.ok) throw new Error(`${from.snapshot().name} could not send a DM: ${sent.error.code}`);
}

describe('direct messages through an honest host', () => {
  it('reach their recipient only, marked private; the host shows nothing and its links carry no plaintext', async () => {
    await net.start();
    const hanaFrames: string[] = [];
    const hana = await net.pool(fastLiveness, { createLink: recordingLinks(hanaFrames) }).join('dm1', 'Hana');
    const peers = net.pool();
    const [ann, bob, cat] = [await peers.join('dm1', 'Ann'), await peers.join('dm1', 'Bob'), await peers.join('dm1', 'Cat')];
    await Promise.all([ann, bob, cat].map((s) => until(s, (x) => x.linkedToHost)));

    const secret = 'Ann to Bob: the plaintext nobody else reads';
    dm(ann, bob, secret);
    ann.send('a room line after the DM');
    await until(cat, hasText('a room line after the DM'));
    const bobSees = await until(bob, hasText(secret));
    expect(lineOf(bobSees, secret)).toMatchObject({ own: false, message: { name: 'Ann' }, direct: { toName: 'Bob' } });
    const annSees = await until(ann, (s) => lineOf(s, secret)?.status === 'delivered');
    expect(lineOf(annSees, secret)).toMatchObject({ own: true, direct: { toName: 'Bob' } });

    // Cat and Hana: nothing. Hana's view holds no line, no count, no trace of the DM's id.
    expect(showsPrivate(cat.snapshot())).toBe(false);
    const dmId = lineOf(annSees, secret)?.message.id ?? 'no id';
    const hanaSees = hana.snapshot();
    expect(showsPrivate(hanaSees)).toBe(false);
    expect(hanaSees.timeline.filter((entry) => entry.kind === 'chat')).toHaveLength(1);
    expect(JSON.stringify(hanaSees)).not.toContain(dmId);
    // Hana's links carried the DM (sealed) to Bob, never its text.
    expect(hanaFrames.filter((frame) => frame.includes(dmId)).length).toBeGreaterThanOrEqual(2);
    expect(hanaFrames.filter((frame) => frame.includes(secret))).toEqual([]);

    // The host's own DMs are DMs like any other.
    dm(hana, cat, 'from the host, to Cat');
    dm(cat, hana, 'from Cat, to the host');
    expect(lineOf(await until(cat, hasText('from the host, to Cat')), 'from the host, to Cat')).toMatchObject({ direct: { toName: 'Cat' } });
    expect(lineOf(await until(hana, hasText('from Cat, to the host')), 'from Cat, to the host')).toMatchObject({
      own: false,
      direct: { toName: 'Hana' },
    });
    for (const other of [ann, bob]) expect(countText(other.snapshot(), 'from the host, to Cat') + countText(other.snapshot(), 'from Cat, to the host')).toBe(0);
  });

  it('survive the host leaving and a reload: the new host gets them from a party, a late joiner never sees them', async () => {
    await net.start();
    const peers = net.pool();
    const bobIdentity = testIdentity('Bob@dm2');
    const bobs = net.pool(fastLiveness, { identity: bobIdentity });
    const hana = await peers.join('dm2', 'Hana');
    const dan = await peers.join('dm2', 'Dan');
    const ann = await peers.join('dm2', 'Ann');
    const bob = await bobs.join('dm2', 'Bob');
    await Promise.all([dan, ann, bob].map((s) => until(s, (x) => x.linkedToHost)));

    const secret = 'a DM that outlives its host';
    dm(ann, bob, secret);
    await until(bob, hasText(secret));
    await until(ann, (s) => lineOf(s, secret)?.status === 'delivered');

    hana.leave();
    await until(dan, (s) => s.role === 'host');
    // Dan held nothing of it; it reaches him (held, unread) when Ann and Bob link and sync.
    await Promise.all([ann, bob].map((s) => until(s, (x) => x.linkedToHost && x.roster.hostId === idOf(dan))));
    ann.send('after the host change');
    await until(bob, hasText('after the host change'));
    expect(countText(bob.snapshot(), secret)).toBe(1);
    expect(showsPrivate(dan.snapshot())).toBe(false);

    // Bob reloads (same keys, new peer id): the new host hands him the DM, found by his key.
    bob.leave();
    const bobAgain = await bobs.join('dm2', 'Bob');
    const reloaded = await until(bobAgain, hasText(secret));
    expect(lineOf(reloaded, secret)).toMatchObject({ message: { name: 'Ann' }, direct: { toName: 'Bob' } });
    expect(countText(reloaded, secret)).toBe(1);

    const cat = await peers.join('dm2', 'Cat');
    await until(cat, hasText('after the host change'));
    expect(countText(cat.snapshot(), secret)).toBe(0);
    expect(showsPrivate(cat.snapshot())).toBe(false);
    expect(showsPrivate(dan.snapshot())).toBe(false);
  });
});

describe('a private room (privateRoom set)', () => {
  it('seals every room message: the links carry no plaintext, everyone with the key reads them, nobody without', async () => {
    await net.start();
    const room = derivePrivateRoom(createInviteSecret(systemRandom));
    const frames: string[] = [];
    const keyed = net.pool(fastLiveness, { createLink: recordingLinks(frames) });
    const people = [
      await keyed.join(room.roomId, 'Hana', { privateRoom: room }),
      await keyed.join(room.roomId, 'Ann', { privateRoom: room }),
      await keyed.join(room.roomId, 'Bob', { privateRoom: room }),
    ];
    await Promise.all(people.slice(1).map((s) => until(s, (x) => x.linkedToHost)));
    const texts = people.map((person, i) => {
      const text = `sealed line #${i} of the private room`;
      if (!person.send(text).ok) throw new Error('not sent');
      return text;
    });
    const [hana, ann, bob] = people as [RoomSession, RoomSession, RoomSession];
    dm(ann, bob, 'a DM inside the private room');
    for (const person of people) {
      const seen = await until(person, (s) => texts.every((text) => hasText(text)(s)));
      for (const text of texts) expect(countText(seen, text)).toBe(1);
    }
    await until(bob, hasText('a DM inside the private room'));
    expect(countText(hana.snapshot(), 'a DM inside the private room')).toBe(0);

    // Someone without the key does not get in: the server admits only a proof made with the room key (the message
    // layer's own refusal of unsealed text is covered where the server is bypassed, in the unit tests).
    await expect(net.pool().join(room.roomId, 'Eve')).rejects.toMatchObject({ code: 'ERR_PRIVATE_ROOM' });
    hana.send('after Eve');
    await until(ann, hasText('after Eve'));

    expect(frames.some((frame) => frame.includes('"sealed"'))).toBe(true);
    for (const text of [...texts, 'after Eve', 'a DM inside the private room']) {
      expect(frames.filter((frame) => frame.includes(text)), text).toEqual([]);
    }
  });
});
