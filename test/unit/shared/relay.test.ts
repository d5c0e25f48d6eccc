import { describe, expect, it } from 'vitest';
import type { OutgoingChat } from '../../../shared/protocol/envelope.ts';
import { decideChatRelay, deliveryTargets, mayReceive, type RelayInput } from '../../../shared/relay.ts';
import { ok, err } from '../../../shared/result.ts';
import { signedDirect, testKey, unsignedFields } from '../../support/signed-chat.ts';

const keys = { author: testKey('ann'), sig: unsignedFields.sig };
const message: OutgoingChat = { v: 1, type: 'chat', id: 'msg-0001', from: 'ann', seq: 4, ts: 1000, body: { text: 'hi' }, ...keys };
const ann = { id: 'ann', name: 'Ann', identity: testKey('ann') };
const members = [ann, { id: 'bob', name: 'Bob', identity: testKey('bob') }, { id: 'cy', name: 'Cy', identity: testKey('cy') }];
const input: RelayInput = { linkPeerId: 'ann', author: ann, linkedPeers: ['ann', 'bob', 'cy'], members, message, signature: ok(true) };
const badSignature = err({ code: 'ERR_BAD_SIGNATURE', message: 'no' } as const);

describe('decideChatRelay', () => {
  it('delivers to every linked peer except the sender, stamps the roster name, and acks the sender', () => {
    expect(decideChatRelay(input)).toStrictEqual({
      ok: true,
      value: {
        delivered: { v: 1, type: 'chat', id: 'msg-0001', from: 'ann', name: 'Ann', seq: 4, ts: 1000, body: { text: 'hi' }, ...keys },
        recipients: ['bob', 'cy'],
        acknowledge: 'msg-0001',
      },
    });
  });

  it('refuses a message whose from is not the link it came on', () => {
    const result = decideChatRelay({ ...input, message: { ...message, from: 'bob' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'ERR_BAD_MESSAGE' } });
  });

  it('refuses a sender that is not in the roster', () => {
    const result = decideChatRelay({ ...input, author: undefined });
    expect(result).toMatchObject({ ok: false, error: { code: 'ERR_NOT_JOINED' } });
  });

  it('checks the sender before the roster: a spoofed from is refused even for a known peer', () => {
    const result = decideChatRelay({ ...input, linkPeerId: 'bob', author: { id: 'bob', name: 'Bob' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'ERR_BAD_MESSAGE' } });
  });

  it('has no recipients when only the sender is linked, and still acks', () => {
    const result = decideChatRelay({ ...input, linkedPeers: ['ann'] });
    expect(result.ok && result.value.recipients).toEqual([]);
    expect(result.ok && result.value.acknowledge).toBe('msg-0001');
  });

  it('takes the recipients from any iterable, such as a Set of links', () => {
    const result = decideChatRelay({ ...input, linkedPeers: new Set(['cy', 'ann', 'bob']) });
    expect(result.ok && result.value.recipients).toEqual(['cy', 'bob']);
  });

  it('builds a new object: nothing extra the sender attached is carried over, and later edits do not leak', () => {
    const received = {
      ...message,
      name: 'The Admin',
      html: '<script>',
      body: { text: 'hi', html: '<img onerror>' },
    } as unknown as OutgoingChat;
    const result = decideChatRelay({ ...input, message: received });
    if (!result.ok) throw new Error(result.error.message);
    const { delivered } = result.value;
    expect(delivered).not.toBe(received);
    expect(delivered.body).not.toBe(received.body);
    expect(delivered).toStrictEqual({ v: 1, type: 'chat', id: 'msg-0001', from: 'ann', name: 'Ann', seq: 4, ts: 1000, body: { text: 'hi' }, ...keys });
    (received.body as { text: string }).text = 'edited afterwards';
    expect(delivered.body.text).toBe('hi');
  });

  it('refuses a message whose signature does not check out', () => {
    expect(decideChatRelay({ ...input, signature: badSignature })).toMatchObject({ ok: false, error: { code: 'ERR_BAD_SIGNATURE' } });
  });

  it("refuses a message whose key is not the roster's key of its author", () => {
    const result = decideChatRelay({ ...input, message: { ...message, author: testKey('bob') } });
    expect(result).toMatchObject({ ok: false, error: { code: 'ERR_BAD_SIGNATURE' } });
  });

  it("relays someone else's signed message handed on by a member, to everyone but both, without an ack", () => {
    const result = decideChatRelay({ ...input, linkPeerId: 'bob', author: undefined, forwardedName: 'Ann' });
    expect(result).toMatchObject({ ok: true, value: { recipients: ['cy'], acknowledge: null, delivered: { name: 'Ann', from: 'ann' } } });
  });

  it('refuses a handed-on message whose signature fails, and a member handing on its own', () => {
    const forwarded = { ...input, linkPeerId: 'bob', forwardedName: 'Ann' };
    expect(decideChatRelay({ ...forwarded, signature: badSignature })).toMatchObject({ ok: false, error: { code: 'ERR_BAD_SIGNATURE' } });
    expect(decideChatRelay({ ...input, forwardedName: 'Ann' })).toMatchObject({ ok: false, error: { code: 'ERR_BAD_MESSAGE' } });
  });

  it('does not modify its input', () => {
    const copy = structuredClone(message);
    decideChatRelay(input);
    expect(message).toStrictEqual(copy);
  });
});

describe('decideChatRelay for direct messages', () => {
  const direct = signedDirect('ann', 'bob', { id: 'direct-01', seq: 5, text: 'psst', to: 'old-peer-id' });
  const dmInput: RelayInput = { ...input, message: direct };

  it("delivers a DM only to the links whose roster key is the recipient's, whatever `to` says, and acks the sender", () => {
    // Bob reloaded: his peer id is now bob2, and `to` still names the old one. Cy holds the old id under another key.
    const moved = [ann, { id: 'bob2', name: 'Bob', identity: testKey('bob') }, { id: 'old-peer-id', name: 'Cy', identity: testKey('cy') }];
    const result = decideChatRelay({ ...dmInput, members: moved, linkedPeers: ['ann', 'bob2', 'old-peer-id'] });
    expect(result).toMatchObject({ ok: true, value: { recipients: ['bob2'], acknowledge: 'direct-01' } });
    expect(result.ok && result.value.delivered.body).toStrictEqual(direct.body);
  });

  it('delivers a DM to nobody while its recipient is not linked, and still acknowledges it (the host keeps it)', () => {
    expect(decideChatRelay({ ...dmInput, linkedPeers: ['ann', 'cy'] })).toMatchObject({ ok: true, value: { recipients: [], acknowledge: 'direct-01' } });
  });

  it("hands on a DM forwarded by its recipient to no one but the recipient's other links", () => {
    const forwarded = decideChatRelay({ ...dmInput, linkPeerId: 'bob', author: undefined, forwardedName: 'Ann' });
    expect(forwarded).toMatchObject({ ok: true, value: { recipients: [], acknowledge: null } });
  });

  it('refuses a DM addressed to its own author', () => {
    const toSelf = signedDirect('ann', 'ann', { id: 'direct-02', seq: 6, text: 'me' });
    expect(decideChatRelay({ ...input, message: toSelf })).toMatchObject({ ok: false, error: { code: 'ERR_BAD_MESSAGE' } });
  });
});

describe('who may be handed a message', () => {
  const direct = signedDirect('ann', 'bob', { id: 'direct-01', seq: 5, text: 'psst' });

  it('a room message: anyone; a DM: its author and its recipient, by key', () => {
    expect(mayReceive(message, undefined)).toBe(true);
    expect(mayReceive(message, testKey('cy'))).toBe(true);
    expect(mayReceive(direct, testKey('ann'))).toBe(true);
    expect(mayReceive(direct, testKey('bob'))).toBe(true);
    expect(mayReceive(direct, testKey('cy'))).toBe(false);
    expect(mayReceive(direct, undefined)).toBe(false);
  });

  it('deliveryTargets leaves out the excepted peers and, for a DM, everyone but its two parties', () => {
    expect(deliveryTargets(message, members, ['ann', 'bob', 'cy'], ['ann'])).toEqual(['bob', 'cy']);
    expect(deliveryTargets(direct, members, ['ann', 'bob', 'cy'], [])).toEqual(['ann', 'bob']);
    expect(deliveryTargets(direct, members, ['ann', 'bob', 'cy'], ['ann'])).toEqual(['bob']);
  });
});
