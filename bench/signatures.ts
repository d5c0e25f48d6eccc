import { ChatVerifier } from '../shared/chat-signature.ts';
import { defaultLiveness } from '../shared/liveness.ts';
import type { OutgoingChat } from '../shared/protocol/envelope.ts';
import type { Roster } from '../shared/roster.ts';
import { HostRole } from '../web/src/net/host-role.ts';
import { MemberRole } from '../web/src/net/member-role.ts';
import type { RoleContext } from '../web/src/net/role-context.ts';
import { MemoryNetwork, type MemoryLink } from '../test/support/memory-link.ts';
import { keyedMember, testRoleContext } from '../test/support/role-context.ts';
import { deliveredChat, signedChat, TEST_ROOM } from '../test/support/signed-chat.ts';
import { progress, type Row } from './stats.ts';

/**
 * What checking signatures costs the relaying host and each member: the same host and member code (HostRole,
 * MemberRole) over in-memory links, once with the real ChatVerifier and once with one that decodes but does not
 * check. Messages are signed before the clock starts (signing is the author's cost, once per message: see
 * bench/crypto.ts). In-memory links leave out the network, so the difference is the checking alone.
 */

/** Decodes like ChatVerifier but checks no signature: the "without" side of the comparison, never used in the app. */
class UncheckedVerifier extends ChatVerifier {
  override check(chat: OutgoingChat): ReturnType<ChatVerifier['check']> {
    return this.read(chat);
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Links that never fall silent: the bench's clock jumps a minute after each burst (to refill the link budget). */
const neverSilent = { ...defaultLiveness, silenceTimeoutMs: Number.MAX_SAFE_INTEGER };

/** Waits until `done` holds; fails after `ms` instead of spinning for ever when frames went missing. */
async function settle(done: () => boolean, what: () => string, ms = 60_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`signatures: ${what()} after ${ms} ms`);
    await tick();
  }
}

/** Frames go out in bursts within the link budget; the hand-driven clock then moves on so the budget refills. */
const BURST = 300;

/** Milliseconds for a host to relay `frames` from one member to `size - 2` others (room of `size`, host included). */
async function hostRelayMs(size: number, frames: readonly string[], checked: boolean): Promise<number> {
  const network = new MemoryNetwork();
  const ids = Array.from({ length: size }, (_, i) => `p${i}`);
  const roster: Roster = { hostId: 'p0', members: ids.map((id) => keyedMember(id, id.toUpperCase())) };
  const remotes = new Map<string, MemoryLink>();
  const made = testRoleContext({ selfId: 'p0', network, roster: () => roster, sendSignal: (to, data) => remotes.get(to)?.signal(data) });
  const context: RoleContext = { ...made.context, liveness: neverSilent, ...(checked ? {} : { verifier: new UncheckedVerifier(TEST_ROOM) }) };
  const host = new HostRole(context);
  let received = 0;
  for (const id of ids.slice(1)) {
    const remote = network.createLink({ initiator: true, iceServers: [] }) as MemoryLink;
    remotes.set(id, remote);
    remote.on('signal', (data) => host.handleSignal(id, data));
    if (id !== 'p1') remote.on('message', (raw) => void (raw.includes('"type":"chat"') && received++));
    await new Promise<void>((resolve) => remote.on('open', () => resolve()));
    // As a member does on a new link: ask for the history it lacks (the host holds live chats for it until then).
    remote.send(JSON.stringify({ type: 'sync', have: [] }));
  }
  const sender = remotes.get('p1')!;
  const expected = frames.length * (size - 2);
  const started = performance.now();
  for (let i = 0; i < frames.length; i += BURST) {
    for (const frame of frames.slice(i, i + BURST)) sender.send(frame);
    const due = Math.min(expected, (i + BURST) * (size - 2));
    await settle(() => received >= due, () => `the host relayed ${received} of ${due} copies`);
    made.clock.now += 60_000;
  }
  const elapsed = performance.now() - started;
  host.close();
  return elapsed;
}

/** Milliseconds for a member to take in `frames` relayed by its host. */
async function memberReceiveMs(frames: readonly string[], checked: boolean): Promise<number> {
  const network = new MemoryNetwork();
  const roster: Roster = { hostId: 'host', members: [keyedMember('host', 'Hana'), keyedMember('me', 'Me'), keyedMember('ann', 'Ann')] };
  let hostEnd: MemoryLink | undefined;
  const made = testRoleContext({
    selfId: 'me',
    network,
    roster: () => roster,
    sendSignal: (_to, data) => {
      hostEnd ??= network.createLink({ initiator: false, iceServers: [] }) as MemoryLink;
      hostEnd.on('signal', (answer) => role.handleSignal('host', answer));
      hostEnd.signal(data);
    },
  });
  let admitted = 0;
  const context: RoleContext = {
    ...made.context,
    liveness: neverSilent,
    verifier: checked ? made.context.verifier : new UncheckedVerifier(TEST_ROOM),
    changed: () => void admitted++,
  };
  const ignore = (): void => undefined;
  const role: MemberRole = new MemberRole(context, 'host', {
    onHostSync: ignore,
    onAck: ignore,
    onReject: ignore,
    onClose: ignore,
    onSilent: ignore,
    onLinkError: ignore,
    onForgery: ignore,
  });
  await settle(() => role.isOpen, () => 'the link to the host did not open');
  const started = performance.now();
  for (let i = 0; i < frames.length; i += BURST) {
    for (const frame of frames.slice(i, i + BURST)) hostEnd!.send(frame);
    const due = Math.min(frames.length, i + BURST);
    await settle(() => admitted >= due, () => `the member took in ${admitted} of ${due} messages`);
    made.clock.now += 60_000;
  }
  const elapsed = performance.now() - started;
  role.close();
  return elapsed;
}

/** Host relay and member receive rates with signature checks, beside the same without. */
export async function measureSignatures(messages: number, sizes: readonly number[]): Promise<Row[]> {
  const rows: Row[] = [];
  const outgoing = Array.from({ length: messages }, (_, i) =>
    JSON.stringify(signedChat('p1', { id: `bench-${i}-xxxx`, seq: i + 1, text: `relay ${i} ${'z'.repeat(160)}` })),
  );
  for (const size of sizes) {
    progress(`signatures: host relaying in a room of ${size}`);
    const on = await hostRelayMs(size, outgoing, true);
    const off = await hostRelayMs(size, outgoing, false);
    rows.push({
      scenario: 'signatures',
      metric: `host relays/s, room of ${size} (checks each once)`,
      chatus: (messages / on) * 1000,
      baseline: (messages / off) * 1000,
      baselineName: 'same host code, no signature check',
      unit: 'msg/s',
      better: 'higher',
    });
  }
  progress('signatures: a member taking in relayed messages');
  // Below the timeline's capacity, so that every message is admitted and counted.
  const delivered = Array.from({ length: Math.min(messages, 900) }, (_, i) =>
    JSON.stringify(deliveredChat('ann', 'Ann', { id: `bench-${i}-xxxx`, seq: i + 1, ts: 1_000_000, text: `fan ${i} ${'z'.repeat(160)}` })),
  );
  const on = await memberReceiveMs(delivered, true);
  const off = await memberReceiveMs(delivered, false);
  rows.push({
    scenario: 'signatures',
    metric: 'member takes in msg/s (checks each)',
    chatus: (delivered.length / on) * 1000,
    baseline: (delivered.length / off) * 1000,
    baselineName: 'same member code, no signature check',
    unit: 'msg/s',
    better: 'higher',
  });
  return rows;
}
