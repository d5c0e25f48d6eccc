import { describe, expect, it } from 'vitest';
import { sealedBody } from '../../../shared/chat-content.ts';
import { ChatVerifier, signChat } from '../../../shared/chat-signature.ts';
import { createInviteSecret } from '../../../shared/crypto/invite.ts';
import { derivePrivateRoom, sealRoomMessage } from '../../../shared/crypto/private-room.ts';
import { systemRandom } from '../../../shared/crypto/random.ts';
import type { OutgoingChat } from '../../../shared/protocol/envelope.ts';
import { signedChat, signedDirect, TEST_ROOM, testIdentity, testKey } from '../../support/signed-chat.ts';

const verifier = new ChatVerifier(TEST_ROOM);
const flip = (text: string): string => (text[5] === 'A' ? `${text.slice(0, 5)}B${text.slice(6)}` : `${text.slice(0, 5)}A${text.slice(6)}`);

/** A private-room message of Ann's, sealed with a room key, signed in that room. */
function sealedChat(): { chat: OutgoingChat; verifier: ChatVerifier } {
  const room = derivePrivateRoom(createInviteSecret(systemRandom));
  const ann = testIdentity('ann');
  const unsigned = { v: 1, type: 'chat', id: 'sealed-01', from: 'ann', seq: 1, ts: 5 } as const;
  const content = sealRoomMessage(room, { ...unsigned, room: room.roomId, author: ann.publicIdentity }, 'secret', systemRandom);
  return { chat: signChat(ann, room.roomId, { ...unsigned, body: sealedBody(content) }), verifier: new ChatVerifier(room.roomId) };
}

describe('ChatVerifier checks every kind of message', () => {
  it('an open text message, and refuses it altered', () => {
    const chat = signedChat('ann', { id: 'open-0001', seq: 1, text: 'hi' });
    expect(verifier.check(chat)).toMatchObject({ ok: true, value: { content: { kind: 'room', text: 'hi' } } });
    expect(verifier.check({ ...chat, body: { text: 'ho' } }).ok).toBe(false);
  });

  it("a private room's sealed message, and refuses it with a changed ciphertext or in another room", () => {
    const { chat, verifier: roomVerifier } = sealedChat();
    expect(roomVerifier.check(chat)).toMatchObject({ ok: true, value: { content: { kind: 'room-sealed' } } });
    if (chat.body.sealed === undefined) throw new Error('not sealed');
    const altered = { ...chat, body: { sealed: { ...chat.body.sealed, ciphertext: flip(chat.body.sealed.ciphertext) } } };
    expect(roomVerifier.check(altered)).toMatchObject({ ok: false, error: { code: 'ERR_BAD_SIGNATURE' } });
    expect(verifier.check(chat).ok).toBe(false);
  });

  it('a direct message, whatever its routing peer id says, and refuses it redirected or altered', () => {
    const chat = signedDirect('ann', 'bob', { id: 'direct-01', seq: 2, text: 'psst' });
    if (chat.body.to === undefined) throw new Error('not a DM');
    const { body } = chat;
    expect(verifier.check(chat)).toMatchObject({ ok: true, value: { content: { kind: 'dm' } } });
    // `to` is a routing hint (peer ids change on reload): not signed.
    expect(verifier.check({ ...chat, body: { ...body, to: 'someone-else' } }).ok).toBe(true);
    expect(verifier.check({ ...chat, body: { ...body, recipient: testKey('cat') } }).ok).toBe(false);
    expect(verifier.check({ ...chat, body: { ...body, sealed: { ...body.sealed, nonce: flip(body.sealed.nonce) } } }).ok).toBe(false);
    // A DM cannot pass for a room message with the same sealed bytes.
    expect(verifier.check({ ...chat, body: { sealed: body.sealed } }).ok).toBe(false);
  });
});

describe('ChatVerifier with an author it has seen before', () => {
  it("keeps accepting an author's messages and refusing them altered once its key has a table", () => {
    const fresh = new ChatVerifier(TEST_ROOM);
    for (let seq = 1; seq <= 6; seq++) {
      for (const author of ['ann', 'bob']) {
        const chat = signedChat(author, { id: `${author}-many-${seq}`, seq, text: `line ${seq}` });
        expect(fresh.check(chat).ok).toBe(true);
        expect(fresh.check({ ...chat, body: { text: `line ${seq}!` } }).ok).toBe(false);
        expect(fresh.check({ ...chat, seq: seq + 1 }).ok).toBe(false);
      }
    }
    // Bob's signature under Ann's key (a host passing one author's message off as another's).
    const bobs = signedChat('bob', { id: 'bob-as-ann', seq: 9, text: 'mine' });
    expect(fresh.check({ ...bobs, author: testKey('ann') }).ok).toBe(false);
  });
});
