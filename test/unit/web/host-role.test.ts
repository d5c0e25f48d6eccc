import { afterEach, describe, expect, it } from 'vitest';
import {
  HISTORY_LIMIT,
  LINK_FRAME_BURST,
  LINK_SYNC_BURST,
  MAX_LINK_BUFFERED_BYTES,
  MAX_TEXT_LENGTH,
  OFFER_BURST,
  OFFER_INTERVAL_S,
  TYPING_BURST,
  TYPING_FRAMES_PER_SECOND,
} from '../../../shared/limits.ts';
import { parseHostMessage, type HostMessage } from '../../../shared/protocol/host-message.ts';
import type { Roster } from '../../../shared/roster.ts';
import { HostRole } from '../../../web/src/net/host-role.ts';
import { MemoryNetwork, type MemoryLink } from '../../support/memory-link.ts';
import { keyedMember, testRoleContext } from '../../support/role-context.ts';
import { deliveredChat, signedChat, signedDirect, testKey } from '../../support/signed-chat.ts';

/** Lets queued frames (microtasks) go through, then the batched acknowledgements they caused (a 0 ms timer). */
async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 1));
}

/** A host with a hand-driven clock and in-memory links; members are the test's ends of those links. */
function hostFixture() {
  const network = new MemoryNetwork();
  const remotes = new Map<string, MemoryLink>();
  let roster: Roster = {
    hostId: 'host',
    members: [keyedMember('host', 'Hana'), keyedMember('ann', 'Ann'), keyedMember('bob', 'Bob'), keyedMember('cat', 'Cat')],
  };
  const { context, clock, failures, timeline, typing } = testRoleContext({
    selfId: 'host',
    network,
    roster: () => roster,
    sendSignal: (to, data) => remotes.get(to)?.signal(data),
  });
  const host = new HostRole(context);
  hosts.push(host);

  /**
   * A member end that offers to the host as `peerId`; resolves once the link is open and, as a member does, it asked
   * for the history it lacks (`sync`) and had its answer (the host holds live chats for a link until then).
   */
  async function connect(peerId: string, options: { sync?: boolean } = {}): Promise<MemoryLink> {
    const remote = network.createLink({ initiator: true, iceServers: [] }) as MemoryLink;
    remotes.set(peerId, remote);
    remote.on('signal', (data) => host.handleSignal(peerId, data));
    await new Promise<void>((resolve) => remote.on('open', () => resolve()));
    if (options.sync === false) return remote;
    remote.send(JSON.stringify({ type: 'sync', have: [] }));
    await settle();
    return remote;
  }

  /** A roster the host has not been handed yet (its links stay open meanwhile). */
  const setRoster = (next: Roster): void => {
    roster = next;
  };
  return { network, clock, failures, host, timeline, typing, connect, setRoster };
}

/** Collects, parsed, every frame `remote` receives from now on. */
function inbox(remote: MemoryLink): HostMessage[] {
  const frames: HostMessage[] = [];
  remote.on('message', (raw) => {
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) throw new Error(`the host sent an unparseable frame: ${parsed.error.message}`);
    frames.push(parsed.value);
  });
  return frames;
}

let seqs = 0;
/**
 * A chat from `from`, signed; `signed` fields go into what is signed, `overrides` are applied after signing (also
 * with values the schema refuses).
 */
function chat(from: string, signed: { id?: string; seq?: number; text?: string } = {}, overrides: Record<string, unknown> = {}): string {
  seqs += 1;
  const message = signedChat(from, { id: signed.id ?? `msg-${from}-${seqs}`, seq: signed.seq ?? seqs, text: signed.text ?? `hello ${seqs}` });
  return JSON.stringify({ ...message, ...overrides });
}

const chats = (frames: HostMessage[]) => frames.filter((frame) => frame.type === 'chat');
const rejects = (frames: HostMessage[]) => frames.filter((frame) => frame.type === 'reject');

const hosts: HostRole[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.close();
});

describe('HostRole relays', () => {
  it("delivers a member's chat to the others with the roster's name, and acknowledges it", async () => {
    const { connect } = hostFixture();
    const ann = await connect('ann');
    const bob = await connect('bob');
    const [annIn, bobIn] = [inbox(ann), inbox(bob)];
    ann.send(chat('ann', { id: 'first-message' }));
    await settle();
    expect(chats(bobIn)).toMatchObject([{ from: 'ann', name: 'Ann', id: 'first-message' }]);
    expect(annIn).toEqual([{ type: 'ack', ids: ['first-message'] }]);
  });
});

describe('HostRole and typing', () => {
  const typingFrames = (frames: HostMessage[]) => frames.filter((frame) => frame.type === 'typing');

  it("relays a member's typing to the others with `from` stamped from its link, and its own to everyone", async () => {
    const { connect, host, typing } = hostFixture();
    const ann = await connect('ann');
    const bob = await connect('bob');
    const [annIn, bobIn] = [inbox(ann), inbox(bob)];
    // A `from` in the frame is no part of the member's protocol: the link says who typed.
    ann.send(JSON.stringify({ type: 'typing', active: true, from: 'bob' }));
    await settle();
    expect(typingFrames(bobIn)).toEqual([{ type: 'typing', from: 'ann', active: true }]);
    expect(annIn).toEqual([]);
    expect(typing).toEqual(['ann:start']);
    ann.send(chat('ann', { id: 'typed-this' }));
    await settle();
    expect(typing).toEqual(['ann:start', 'ann:spoke']);
    host.sendTyping(true);
    await settle();
    expect(typingFrames(annIn)).toEqual([{ type: 'typing', from: 'host', active: true }]);
    expect(typingFrames(bobIn).at(-1)).toEqual({ type: 'typing', from: 'host', active: true });
  });

  it(`takes ${TYPING_BURST} typing frames at once and ${TYPING_FRAMES_PER_SECOND} a second after, dropping the rest without a word`, async () => {
    const { connect, clock, typing } = hostFixture();
    const ann = await connect('ann');
    const bob = await connect('bob');
    const [annIn, bobIn] = [inbox(ann), inbox(bob)];
    for (let i = 0; i < 20; i++) ann.send(JSON.stringify({ type: 'typing', active: i % 2 === 0 }));
    await settle();
    expect(typingFrames(bobIn)).toHaveLength(TYPING_BURST);
    expect(typing).toHaveLength(TYPING_BURST);
    expect(annIn).toEqual([]);
    clock.now += 1000 / TYPING_FRAMES_PER_SECOND;
    ann.send(JSON.stringify({ type: 'typing', active: true }));
    ann.send(JSON.stringify({ type: 'typing', active: true }));
    await settle();
    expect(typingFrames(bobIn)).toHaveLength(TYPING_BURST + 1);
    // Nothing of it is history: a new link's sync hands over no typing.
    bobIn.length = 0;
    bob.send(JSON.stringify({ type: 'sync', have: [] }));
    await settle();
    expect(bobIn).toEqual([{ type: 'sync', have: [] }]);
  });

  it('relays no typing from a link whose member has left the roster', async () => {
    const { connect, typing, setRoster } = hostFixture();
    const ann = await connect('ann');
    const bob = await connect('bob');
    const bobIn = inbox(bob);
    setRoster({ hostId: 'host', members: [keyedMember('host', 'Hana'), keyedMember('bob', 'Bob')] });
    ann.send(JSON.stringify({ type: 'typing', active: true }));
    await settle();
    expect(bobIn).toEqual([]);
    expect(typing).toEqual([]);
  });
});

describe('HostRole and direct messages', () => {
  it('relays a DM to its recipient only, acknowledges it, and hands it as history only to its two parties', async () => {
    const { connect } = hostFixture();
    const ann = await connect('ann');
    const bob = await connect('bob');
    const cat = await connect('cat');
    const [annIn, bobIn, catIn] = [inbox(ann), inbox(bob), inbox(cat)];
    ann.send(JSON.stringify(signedDirect('ann', 'bob', { id: 'direct-01', seq: 1, text: 'psst', to: 'cat' })));
    ann.send(chat('ann', { id: 'open-0002', seq: 2 }));
    await settle();
    expect(chats(bobIn).map((m) => m.id)).toEqual(['direct-01', 'open-0002']);
    expect(chats(catIn).map((m) => m.id)).toEqual(['open-0002']);
    expect(annIn).toEqual([{ type: 'ack', ids: ['direct-01', 'open-0002'] }]);
    // New links (a reload, a late joiner) ask for history: the DM goes to its parties, by key.
    for (const [peer, inboxOf] of [[cat, catIn], [bob, bobIn], [ann, annIn]] as const) {
      inboxOf.length = 0;
      peer.send(JSON.stringify({ type: 'sync', have: [] }));
    }
    await settle();
    expect(chats(catIn).map((m) => m.id)).toEqual(['open-0002']);
    expect(catIn.find((m) => m.type === 'sync')).toEqual({ type: 'sync', have: ['ann/open-0002'] });
    expect(chats(bobIn).map((m) => m.id)).toEqual(['direct-01', 'open-0002']);
    expect(chats(annIn).map((m) => m.id)).toEqual(['direct-01', 'open-0002']);
  });
});

describe('HostRole and a new link', () => {
  it("sends a new link the history it lacks before any chat relayed meanwhile, so each author's lines stay in order", async () => {
    const { connect, timeline } = hostFixture();
    const ann = await connect('ann');
    const annIn = inbox(ann);
    ann.send(chat('ann', { id: 'line-0001', seq: 1 }));
    await settle();
    // Bob's link opens; before his sync reaches the host, Ann writes again.
    const bob = await connect('bob', { sync: false });
    const bobIn = inbox(bob);
    ann.send(chat('ann', { id: 'line-0002', seq: 2 }));
    await settle();
    expect(chats(bobIn)).toEqual([]);
    bob.send(JSON.stringify({ type: 'sync', have: [] }));
    await settle();
    expect(bobIn.map((m) => (m.type === 'chat' ? m.id : m.type))).toEqual(['line-0001', 'line-0002', 'sync', 'line-0002']);
    expect(timeline.recentKeys(10)).toEqual(['ann/line-0001', 'ann/line-0002']);
    expect(annIn.filter((m) => m.type === 'ack')).toHaveLength(2);
  });

  it('stops holding for a link that never asks for its history, once the hold is full', async () => {
    const { connect } = hostFixture();
    const ann = await connect('ann');
    const bob = await connect('bob', { sync: false });
    const bobIn = inbox(bob);
    for (let i = 0; i <= HISTORY_LIMIT; i++) ann.send(chat('ann', { id: `flood-${String(i).padStart(4, '0')}` }));
    await settle();
    expect(chats(bobIn)).toHaveLength(HISTORY_LIMIT + 1);
  });
});

describe('HostRole against a hostile member', () => {
  const refused: [string, (seq: number) => string, string][] = [
    ['not JSON', () => '{"type":"chat"', 'ERR_BAD_MESSAGE'],
    ['a time past the largest Date', () => chat('ann', {}, { ts: 8.64e15 + 1 }), 'ERR_BAD_MESSAGE'],
    ['a negative time', () => chat('ann', {}, { ts: -1e15 }), 'ERR_BAD_MESSAGE'],
    ['seq 0', () => chat('ann', {}, { seq: 0 }), 'ERR_BAD_MESSAGE'],
    ['a text over the limit', () => chat('ann', {}, { body: { text: 'x'.repeat(MAX_TEXT_LENGTH + 1) } }), 'ERR_BAD_MESSAGE'],
    ['an altered text', () => chat('ann', {}, { body: { text: 'altered' } }), 'ERR_BAD_SIGNATURE'],
    ["another member's key", () => chat('ann', {}, { author: testKey('bob') }), 'ERR_BAD_SIGNATURE'],
    ['a made-up signature', () => chat('ann', {}, { sig: 'A'.repeat(86) }), 'ERR_BAD_SIGNATURE'],
    ['a frame over the size limit', () => 'x'.repeat(40_000), 'ERR_TOO_LARGE'],
    ["another member's peer id as from", () => chat('bob'), 'ERR_BAD_MESSAGE'],
    ['an unknown type', () => JSON.stringify({ type: 'ack', ids: ['msg-00001'] }), 'ERR_BAD_MESSAGE'],
  ];
  it.each(refused)('refuses %s with a reason, relays nothing, and keeps relaying', async (_, frame, code) => {
    const { connect } = hostFixture();
    const ann = await connect('ann');
    const bob = await connect('bob');
    const [annIn, bobIn] = [inbox(ann), inbox(bob)];
    ann.send(frame(1));
    await settle();
    expect(rejects(annIn)).toMatchObject([{ code }]);
    expect(bobIn).toEqual([]);
    ann.send(chat('ann', { text: 'still works' }));
    await settle();
    expect(chats(bobIn)).toMatchObject([{ body: { text: 'still works' } }]);
  });

  it("refuses a second message with one of the member's seqs, and keeps another author's message with the same id", async () => {
    const { connect } = hostFixture();
    const ann = await connect('ann');
    const bob = await connect('bob');
    const [annIn, bobIn] = [inbox(ann), inbox(bob)];
    ann.send(chat('ann', { id: 'ann-original', seq: 7 }));
    ann.send(chat('ann', { id: 'ann-forgery', seq: 7 }));
    bob.send(chat('bob', { id: 'ann-original', seq: 1 }));
    await settle();
    expect(chats(bobIn).map((m) => m.id)).toEqual(['ann-original']);
    expect(chats(annIn).map((m) => `${m.from}/${m.id}`)).toEqual(['bob/ann-original']);
    expect(rejects(annIn)).toMatchObject([{ code: 'ERR_BAD_MESSAGE', message: expect.stringMatching(/seq/) }]);
  });

  it('relays a burst up to the link budget, warns once, then drops, then closes a link that floods on', async () => {
    const { connect, host } = hostFixture();
    // Ann floods from her first frame (no sync first, which would count against her budget).
    const ann = await connect('ann', { sync: false });
    const bob = await connect('bob');
    const [annIn, bobIn] = [inbox(ann), inbox(bob)];
    let closed = false;
    ann.on('close', () => (closed = true));
    for (let i = 0; i < 3 * LINK_FRAME_BURST; i++) ann.send(chat('ann'));
    await settle();
    expect(chats(bobIn)).toHaveLength(LINK_FRAME_BURST);
    expect(rejects(annIn)).toMatchObject([{ code: 'ERR_RATE_LIMITED' }]);
    expect(closed).toBe(true);
    // Bob is unaffected: what comes next still reaches him.
    host.broadcastOwn(deliveredChat('host', 'Hana', { id: 'from-the-host', seq: 1 }));
    await settle();
    expect(chats(bobIn).at(-1)).toMatchObject({ id: 'from-the-host' });
  });

  it(`answers ${LINK_SYNC_BURST} sync requests at once, refuses the rest once`, async () => {
    const { connect, clock } = hostFixture();
    const ann = await connect('ann', { sync: false });
    const annIn = inbox(ann);
    for (let i = 0; i < 10; i++) ann.send(JSON.stringify({ type: 'sync', have: [] }));
    await settle();
    expect(annIn.filter((m) => m.type === 'sync')).toHaveLength(LINK_SYNC_BURST);
    expect(rejects(annIn)).toMatchObject([{ code: 'ERR_RATE_LIMITED' }]);
    clock.now += 10_000;
    ann.send(JSON.stringify({ type: 'sync', have: [] }));
    await settle();
    expect(annIn.filter((m) => m.type === 'sync')).toHaveLength(LINK_SYNC_BURST + 1);
  });

  it(`makes at most ${OFFER_BURST} links for a member's offers at once, then one per ${OFFER_INTERVAL_S} s`, async () => {
    const { connect, network, clock, host } = hostFixture();
    await connect('ann');
    const hostLinks = () => network.links.filter((link) => !link.initiator);
    const before = hostLinks().length;
    for (let i = 0; i < 20; i++) host.handleSignal('ann', { type: 'offer', sdp: `memory:nobody-${i}` });
    expect(hostLinks().length - before).toBe(OFFER_BURST - 1);
    clock.now += OFFER_INTERVAL_S * 1000;
    host.handleSignal('ann', { type: 'offer', sdp: 'memory:nobody' });
    host.handleSignal('ann', { type: 'offer', sdp: 'memory:nobody' });
    expect(hostLinks().length - before).toBe(OFFER_BURST);
  });

  it('ignores offers from someone not in the roster', async () => {
    const { network, host } = hostFixture();
    host.handleSignal('stranger', { type: 'offer', sdp: 'memory:x' });
    expect(network.links).toHaveLength(0);
  });

  it('drops a member that does not read once its queue passes the bound, and keeps serving the others', async () => {
    const { connect, clock } = hostFixture();
    const ann = await connect('ann');
    const bob = await connect('bob');
    const bobIn = inbox(bob);
    let annClosed = false;
    ann.on('close', () => (annClosed = true));
    ann.stall();
    const text = 'x'.repeat(MAX_TEXT_LENGTH);
    const needed = Math.ceil(MAX_LINK_BUFFERED_BYTES / MAX_TEXT_LENGTH) + 10;
    for (let sent = 0; sent < needed; sent += 1) {
      bob.send(chat('bob', { text }));
      if (sent % 300 === 299) {
        // Within Bob's own budget: let the host handle this batch, then refill.
        await settle();
        clock.now += 10_000;
      }
    }
    await settle();
    expect(annClosed).toBe(true);
    expect(bobIn.filter((m) => m.type === 'ack').flatMap((m) => (m.type === 'ack' ? m.ids : []))).toHaveLength(needed);
  });

  it('reports a link it cannot make instead of throwing', async () => {
    const { network, host, failures } = hostFixture();
    network.failNext(1);
    expect(() => host.handleSignal('ann', { type: 'offer', sdp: 'memory:x' })).not.toThrow();
    expect(failures).toMatchObject([{ code: 'ERR_CREATE_LINK' }]);
  });
});
