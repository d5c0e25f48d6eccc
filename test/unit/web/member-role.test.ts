import { afterEach, describe, expect, it } from 'vitest';
import { LINK_FRAME_BURST, MAX_CLOCK_SKEW_MS } from '../../../shared/limits.ts';
import type { Roster } from '../../../shared/roster.ts';
import { shownTime, type ChatEntry } from '../../../shared/timeline.ts';
import { MemberRole, type MemberRoleEvents } from '../../../web/src/net/member-role.ts';
import { MemoryNetwork, type MemoryLink } from '../../support/memory-link.ts';
import { keyedMember, testRoleContext } from '../../support/role-context.ts';
import { deliveredChat, testKey } from '../../support/signed-chat.ts';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A member ("me") linked to a host end the test drives, with a hand-driven clock. */
async function memberFixture() {
  const network = new MemoryNetwork();
  const forgeries: string[] = [];
  let hostEnd: MemoryLink | undefined;
  const roster: Roster = { hostId: 'host', members: [keyedMember('host', 'Hana'), keyedMember('me', 'Me'), keyedMember('ann', 'Ann')] };
  const { context, clock, timeline, typing } = testRoleContext({
    selfId: 'me',
    network,
    roster: () => roster,
    sendSignal: (_to, data) => {
      hostEnd ??= network.createLink({ initiator: false, iceServers: [] }) as MemoryLink;
      hostEnd.on('signal', (answer) => role.handleSignal('host', answer));
      hostEnd.signal(data);
    },
  });
  const events: MemberRoleEvents = {
    onHostSync: () => undefined,
    onAck: () => undefined,
    onReject: () => undefined,
    onClose: () => undefined,
    onSilent: () => undefined,
    onLinkError: () => undefined,
    onForgery: (name) => void forgeries.push(name),
  };
  const role = new MemberRole(context, 'host', events);
  roles.push(role);
  await new Promise<void>((resolve) => {
    const check = (): void => (role.isOpen ? resolve() : void setImmediate(check));
    check();
  });
  const host = hostEnd!;
  const chatLines = () => timeline.entries().flatMap((entry) => (entry.kind === 'chat' ? [entry] : []));
  return { role, host, clock, timeline, forgeries, chatLines, typing };
}

let seq = 0;
/** A chat Ann signed, as a host would deliver it; `signed` goes into the signature, `overrides` after it. */
function delivered(signed: { text?: string; ts?: number } = {}, overrides: Record<string, unknown> = {}): string {
  seq += 1;
  const message = deliveredChat('ann', 'Ann', { id: `msg-ann-${seq}`, seq, ts: signed.ts ?? 1_000_000, text: signed.text ?? `m${seq}` });
  return JSON.stringify({ ...message, ...overrides });
}

const roles: MemberRole[] = [];
afterEach(() => {
  for (const role of roles.splice(0)) role.close();
});

describe('MemberRole against a hostile host', () => {
  it("shows a relayed message under the roster's name, whatever name the host claims", async () => {
    const { host, chatLines } = await memberFixture();
    host.send(delivered({}, { name: 'Hana (admin)' }));
    await settle();
    expect(chatLines().map((entry) => entry.message.name)).toEqual(['Ann']);
  });

  it.each([
    ['an altered text', { body: { text: 'altered by the host' } }],
    ['a message "from" this tab that this tab never wrote', { from: 'me', name: 'Me' }],
    ["another author's key on Ann's message", { author: testKey('host') }],
    ['a made-up signature', { sig: 'A'.repeat(86) }],
  ])('drops %s and warns, and keeps taking honest messages', async (_, forged) => {
    const { host, chatLines, forgeries } = await memberFixture();
    host.send(delivered({}, forged));
    host.send(delivered({ text: 'honest' }));
    await settle();
    expect(chatLines().map((entry) => entry.message.body.text)).toEqual(['honest']);
    expect(forgeries).toHaveLength(1);
  });

  it("shows a message signed with this person's key as their own (written before a reload, under another peer id)", async () => {
    const { host, chatLines } = await memberFixture();
    host.send(JSON.stringify(deliveredChat('me', 'Me', { id: 'before-the-reload', seq: 1 })));
    await settle();
    expect(chatLines()).toMatchObject([{ own: true, message: { id: 'before-the-reload' } }]);
  });

  it('drops frames it cannot read, and out-of-range times, without a word or a throw', async () => {
    const { host, chatLines, role } = await memberFixture();
    for (const frame of ['not json', '[]', 'null', delivered({}, { ts: 8.64e15 + 1 }), delivered({}, { ts: -1e15 }), delivered({}, { seq: 1.5 }),
      JSON.stringify({ type: 'ack', ids: 'everything' }), JSON.stringify({ type: 'sync', have: ['no-author'] }), 'x'.repeat(40_000)]) {
      host.send(frame);
    }
    host.send(delivered({ text: 'honest' }));
    await settle();
    expect(chatLines().map((entry) => entry.message.body.text)).toEqual(['honest']);
    expect(role.isOpen).toBe(true);
  });

  it("shows a time from the future at this tab's clock", async () => {
    const { host, chatLines, clock } = await memberFixture();
    host.send(delivered({ ts: clock.now + MAX_CLOCK_SKEW_MS + 60_000 }));
    await settle();
    const [entry] = chatLines() as [ChatEntry];
    expect(shownTime(entry)).toBe(clock.now);
  });

  it('takes a flood up to its budget (scaled by the room), drops the rest, and closes the link', async () => {
    const { host, chatLines, role } = await memberFixture();
    // The budget scales with the room (3 people here): a host relays everyone's messages.
    for (let i = 0; i < 3 * LINK_FRAME_BURST - 1; i++) host.send(JSON.stringify({ type: 'pong', ts: i }));
    host.send(delivered({ text: 'last within the budget' }));
    host.send(delivered({ text: 'over the budget' }));
    for (let i = 0; i < 3 * LINK_FRAME_BURST; i++) host.send(JSON.stringify({ type: 'pong', ts: i }));
    await settle();
    expect(chatLines().map((entry) => entry.message.body.text)).toEqual(['last within the budget']);
    expect(role.isOpen).toBe(false);
  });
});

describe('MemberRole and typing', () => {
  it("shows the host's typing relays about others in the roster, never about itself or strangers, and clears on a message", async () => {
    const { role, host, typing } = await memberFixture();
    const frames: unknown[] = [];
    host.on('message', (raw) => frames.push(JSON.parse(raw)));
    for (const from of ['ann', 'me', 'stranger', 'host']) host.send(JSON.stringify({ type: 'typing', from, active: true }));
    host.send(JSON.stringify({ type: 'typing', from: 'ann', active: false }));
    await settle();
    expect(typing).toEqual(['ann:start', 'host:start', 'ann:stop']);
    host.send(delivered());
    await settle();
    expect(typing.at(-1)).toBe('ann:spoke');
    role.sendTyping(true);
    await settle();
    expect(frames.filter((frame) => (frame as { type: string }).type === 'typing')).toEqual([{ type: 'typing', active: true }]);
  });
});
