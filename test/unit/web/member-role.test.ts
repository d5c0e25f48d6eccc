import { afterEach, describe, expect, it } from 'vitest';
import { LINK_FRAME_BURST, MAX_CLOCK_SKEW_MS } from '../../../shared/limits.ts';
import { defaultLiveness } from '../../../shared/liveness.ts';
import type { DeliveredChat } from '../../../shared/protocol/envelope.ts';
import { shownTime, Timeline, TIMELINE_CAPACITY, type ChatEntry } from '../../../shared/timeline.ts';
import type { LinkError } from '../../../web/src/net/link.ts';
import { MemberRole, type MemberRoleEvents } from '../../../web/src/net/member-role.ts';
import type { RoleContext } from '../../../web/src/net/role-context.ts';
import { MemoryNetwork, type MemoryLink } from '../../support/memory-link.ts';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A member ("me") linked to a host end the test drives, with a hand-driven clock. */
async function memberFixture() {
  const network = new MemoryNetwork();
  const clock = { now: 1_000_000 };
  const timeline = new Timeline();
  const acks: string[] = [];
  const errors: LinkError[] = [];
  let hostEnd: MemoryLink | undefined;
  const context: RoleContext = {
    selfId: 'me',
    timeline,
    liveness: defaultLiveness,
    now: () => clock.now,
    roster: () => ({
      hostId: 'host',
      members: [
        { id: 'host', name: 'Hana' },
        { id: 'me', name: 'Me' },
        { id: 'ann', name: 'Ann' },
      ],
    }),
    sendSignal: (_to, data) => {
      hostEnd ??= network.createLink({ initiator: false, iceServers: [] }) as MemoryLink;
      hostEnd.on('signal', (answer) => role.handleSignal('host', answer));
      hostEnd.signal(data);
    },
    createLink: (initiator) => network.createLink({ initiator, iceServers: [] }),
    linkFailed: (error) => errors.push(error),
    changed: () => undefined,
  };
  const events: MemberRoleEvents = {
    onHostSync: () => undefined,
    onAck: (id) => acks.push(id),
    onReject: () => undefined,
    onClose: () => undefined,
    onSilent: () => undefined,
    onLinkError: (error) => errors.push(error),
  };
  const role = new MemberRole(context, 'host', events);
  roles.push(role);
  await new Promise<void>((resolve) => {
    const check = (): void => (role.isOpen ? resolve() : void setImmediate(check));
    check();
  });
  const host = hostEnd!;
  const chatLines = () => timeline.entries().flatMap((entry) => (entry.kind === 'chat' ? [entry] : []));
  return { role, host, clock, timeline, acks, errors, chatLines };
}

let seq = 0;
/** A chat as a host would deliver it; fields may be overridden with anything. */
function delivered(overrides: Record<string, unknown> = {}): string {
  seq += 1;
  const message: DeliveredChat = { v: 1, type: 'chat', id: `msg-ann-${seq}`, from: 'ann', name: 'Ann', seq, ts: 1_000_000, body: { text: `m${seq}` } };
  return JSON.stringify({ ...message, ...overrides });
}

const roles: MemberRole[] = [];
afterEach(() => {
  for (const role of roles.splice(0)) role.close();
});

describe('MemberRole against a hostile host', () => {
  it("shows a relayed message under the roster's name, whatever name the host claims", async () => {
    const { host, chatLines } = await memberFixture();
    host.send(delivered({ name: 'Hana (admin)' }));
    await settle();
    expect(chatLines().map((entry) => entry.message.name)).toEqual(['Ann']);
  });

  it('drops a message "from" this tab that this tab never wrote', async () => {
    const { host, chatLines } = await memberFixture();
    host.send(delivered({ from: 'me', name: 'Me', id: 'never-written' }));
    host.send(delivered());
    await settle();
    expect(chatLines().map((entry) => entry.message.from)).toEqual(['ann']);
  });

  it('drops frames it cannot read, and out-of-range times, without a word or a throw', async () => {
    const { host, chatLines, role } = await memberFixture();
    for (const frame of ['not json', '[]', 'null', delivered({ ts: 8.64e15 + 1 }), delivered({ ts: -1e15 }), delivered({ seq: 1.5 }),
      JSON.stringify({ type: 'ack', ids: 'everything' }), JSON.stringify({ type: 'sync', have: ['no-author'] }), 'x'.repeat(40_000)]) {
      host.send(frame);
    }
    host.send(delivered({ body: { text: 'honest' } }));
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

  it('takes a flood up to its budget, keeps the timeline bounded, and closes the link', async () => {
    const { host, chatLines, role } = await memberFixture();
    for (let i = 0; i < 10 * LINK_FRAME_BURST; i++) host.send(delivered());
    await settle();
    // The budget scales with the room (3 people here): a host relays everyone's messages.
    expect(chatLines().length).toBeLessThanOrEqual(Math.min(3 * LINK_FRAME_BURST, TIMELINE_CAPACITY));
    expect(chatLines().length).toBeGreaterThan(0);
    expect(role.isOpen).toBe(false);
  });
});
