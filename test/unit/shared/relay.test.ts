import { describe, expect, it } from 'vitest';
import type { OutgoingChat } from '../../../shared/protocol/envelope.ts';
import { decideChatRelay, type RelayInput } from '../../../shared/relay.ts';
import { ok, err } from '../../../shared/result.ts';
import { testKey, unsignedFields } from '../../support/signed-chat.ts';

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
