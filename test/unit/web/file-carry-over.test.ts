import { afterEach, describe, expect, it, vi } from 'vitest';
import { toBase64url } from '../../../shared/crypto/encoding.ts';
import { decodeBulkFrame, endFrame, EndReason, resumeFrame, wantFrame, type BulkFrame } from '../../../shared/files/bulk-frame.ts';
import { chunkFrame } from '../../../shared/files/relay-frames.ts';
import { FILE_RESUME_GATHER_MS, FILE_RESUME_TIMEOUT_MS, FILE_REWIND_CHUNKS, FILE_SENDER_GONE_MS, FILE_WINDOW_CHUNKS } from '../../../shared/limits.ts';
import { HostRelay } from '../../../web/src/net/files/host-relay.ts';
import type { LocalEnd } from '../../../web/src/net/files/relay-end.ts';
import { MemoryNetwork, type MemoryLink } from '../../support/memory-link.ts';
import { noLocalEnd } from '../../support/relay-ends.ts';

const id = new Uint8Array(16).fill(7);
const transfer = toBase64url(id);
const CHUNK_BYTES = 100;
const CHUNKS = 100;
const chunkData = (index: number) => Uint8Array.from({ length: CHUNK_BYTES }, (_, i) => (index * 7 + i) & 0xff);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A sender as the real one behaves: never more than a window past the acknowledgements, going where a seek says. */
function fakeSender(link: MemoryLink) {
  const state = { next: 0, acked: 0, seeks: [] as number[], ends: [] as EndReason[], asks: [] as number[] };
  link.on('bulk', (raw) => {
    const frame = decodeBulkFrame(raw);
    if (frame?.kind === 'ack') state.acked = frame.count;
    if (frame?.kind === 'end') state.ends.push(frame.reason);
    if (frame?.kind === 'ask') state.asks.push(frame.index);
    if (frame?.kind === 'seek') {
      state.seeks.push(frame.index);
      state.next = frame.index;
      state.acked = frame.index;
    }
  });
  const pump = async () => {
    for (let round = 0; round < 100 && state.next < CHUNKS; round += 1) {
      while (state.next < CHUNKS && state.next - state.acked < FILE_WINDOW_CHUNKS) link.sendBulk(chunkFrame(id, state.next, chunkData(state.next++)));
      await settle();
    }
  };
  return { state, pump };
}

/** The chunk indices a member took, checking each one's bytes. */
function receiver(link: MemoryLink) {
  const indices: number[] = [];
  const ends: EndReason[] = [];
  link.on('bulk', (raw) => {
    const frame: BulkFrame | null = decodeBulkFrame(raw);
    if (frame?.kind === 'end') ends.push(frame.reason);
    if (frame?.kind !== 'chunk') return;
    expect(frame.data).toEqual(chunkData(frame.index));
    indices.push(frame.index);
  });
  return { indices, ends };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('a new host carries a transfer over', () => {
  afterEach(() => vi.useRealTimers());

  async function room(local: Partial<LocalEnd> = {}, now = () => 0) {
    const network = new MemoryNetwork();
    const ann = await network.openPair();
    const bob = await network.openPair();
    const carl = await network.openPair();
    const known = (t: string) => (t === transfer ? { sender: 'ann', size: CHUNKS * CHUNK_BYTES, overhead: 0 } : undefined);
    const relay = new HostRelay('hana', { ...noLocalEnd, known, roomPeers: () => ['ann', 'bob', 'carl'], ...local }, now);
    relay.addLink('ann', ann.host);
    relay.addLink('bob', bob.host);
    relay.addLink('carl', carl.host);
    return { relay, ann, bob, carl };
  }

  it('asks the sender for what the furthest-behind receiver lacks, sends it back for a later one, and hands each only what it lacks', async () => {
    const local: number[] = [];
    const { relay, ann, bob } = await room({ chunk: (_t, index) => void local.push(index) });
    const sender = fakeSender(ann.member);
    const bobGot = receiver(bob.member);
    bob.member.sendBulk(wantFrame(id, 20));
    await settle();
    ann.member.sendBulk(resumeFrame(id, CHUNK_BYTES));
    await settle();
    expect(sender.state.seeks).toEqual([20]);
    // Ann sends four chunks; then the host itself, which held less, asks from 19: Ann is sent back.
    for (let index = 20; index < 24; index += 1) ann.member.sendBulk(chunkFrame(id, index, chunkData(index)));
    sender.state.next = 24;
    await settle();
    relay.wantOwn(transfer, 19);
    // A chunk Ann sent before she read the seek is dropped, not taken for a fault.
    ann.member.sendBulk(chunkFrame(id, 24, chunkData(24)));
    await settle();
    expect(sender.state.seeks).toEqual([20, 19]);
    await sender.pump();
    expect(bobGot.indices).toEqual(range(20, CHUNKS));
    expect(local).toEqual(range(19, CHUNKS));
    expect(sender.state.acked).toBe(CHUNKS);
    expect([...sender.state.ends, ...bobGot.ends]).toEqual([]);
    relay.close();
  });

  it('lets a receiver that comes later send the sender back once, at most FILE_REWIND_CHUNKS, and tells one asking for an unknown file', async () => {
    const { relay, ann, bob, carl } = await room();
    const sender = fakeSender(ann.member);
    const bobGot = receiver(bob.member);
    const carlGot = receiver(carl.member);
    bob.member.sendBulk(wantFrame(id, 90));
    ann.member.sendBulk(resumeFrame(id, CHUNK_BYTES));
    await settle();
    ann.member.sendBulk(chunkFrame(id, 90, chunkData(90)));
    await settle();
    carl.member.sendBulk(wantFrame(id, 90 - FILE_REWIND_CHUNKS - 1));
    carl.member.sendBulk(wantFrame(new Uint8Array(16).fill(9), 0));
    await settle();
    // Too far behind to send everyone back for: Carl waits to catch up later (next test); an unknown file is refused.
    expect(carlGot.ends).toEqual([EndReason.notIncluded]);
    carl.member.sendBulk(wantFrame(id, 85));
    await settle();
    expect(sender.state.seeks).toEqual([90, 85]);
    await sender.pump();
    expect(bobGot.indices).toEqual(range(90, CHUNKS));
    // Taken in from 85, Carl no longer waits to catch up from 25: nothing is sent twice.
    expect(carlGot.indices).toEqual(range(85, CHUNKS));
    expect(sender.state.seeks).toEqual([90, 85]);
    relay.close();
  });

  it('a receiver too far behind (its page reloaded) catches up after the others, and one asking after the end is served again', async () => {
    const { relay, ann, bob, carl } = await room();
    const sender = fakeSender(ann.member);
    const bobGot = receiver(bob.member);
    const carlGot = receiver(carl.member);
    bob.member.sendBulk(wantFrame(id, 80));
    ann.member.sendBulk(resumeFrame(id, CHUNK_BYTES));
    await settle();
    carl.member.sendBulk(wantFrame(id, 10));
    await settle();
    await sender.pump();
    expect(bobGot.indices).toEqual(range(80, CHUNKS));
    // Once Bob has it all, the sender goes back to where Carl stood, for Carl alone.
    expect(sender.state.seeks).toEqual([80, 10]);
    await sender.pump();
    expect(carlGot.indices).toEqual(range(10, CHUNKS));
    expect(bobGot.indices).toEqual(range(80, CHUNKS));
    // After the end, Bob (reloaded, holding 50 chunks) asks again: the sender is asked for the rest, for Bob alone.
    bob.member.sendBulk(wantFrame(id, 50));
    await settle();
    expect(sender.state.seeks).toEqual([80, 10, 50]);
    await sender.pump();
    expect(bobGot.indices).toEqual([...range(80, CHUNKS), ...range(50, CHUNKS)]);
    expect(carlGot.indices).toEqual(range(10, CHUNKS));
    expect([...bobGot.ends, ...carlGot.ends, ...sender.state.ends]).toEqual([]);
    relay.close();
  });

  it('tells a receiver once the sender has been out of the room for FILE_SENDER_GONE_MS, not for a moment', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = 0;
    let inRoom = ['bob', 'carl'];
    const { relay, bob } = await room({ roomPeers: () => inRoom }, () => now);
    const bobGot = receiver(bob.member);
    bob.member.sendBulk(wantFrame(id, 3));
    await settle();
    vi.advanceTimersByTime(1000);
    // Back in the roster (its socket reconnected): the clock starts again.
    now += FILE_SENDER_GONE_MS - 1;
    inRoom = ['ann', 'bob', 'carl'];
    vi.advanceTimersByTime(1000);
    inRoom = ['bob', 'carl'];
    vi.advanceTimersByTime(1000);
    now += FILE_SENDER_GONE_MS - 1;
    vi.advanceTimersByTime(1000);
    await settle();
    expect(bobGot.ends).toEqual([]);
    now += 1;
    vi.advanceTimersByTime(1000);
    await settle();
    expect(bobGot.ends).toEqual([EndReason.senderGone]);
    relay.close();
  });

  it('holds the sender back until every member has linked, or for FILE_RESUME_GATHER_MS at most', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = 0;
    // Dave is in the room but not linked to the new host yet.
    const { relay, ann, bob } = await room({ roomPeers: () => ['ann', 'bob', 'carl', 'dave'] }, () => now);
    const sender = fakeSender(ann.member);
    bob.member.sendBulk(wantFrame(id, 12));
    ann.member.sendBulk(resumeFrame(id, CHUNK_BYTES));
    await settle();
    expect(sender.state.seeks).toEqual([]);
    now += FILE_RESUME_GATHER_MS;
    vi.advanceTimersByTime(1000);
    await settle();
    expect(sender.state.seeks).toEqual([12]);
    relay.close();
  });

  it("waits for a sender whose link closed while it is still in the room, and tells everyone once it has left", async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let inRoom = ['ann', 'bob'];
    const network = new MemoryNetwork();
    const ann = await network.openPair();
    const bob = await network.openPair();
    let now = 0;
    const relay = new HostRelay('hana', { ...noLocalEnd, roomPeers: () => inRoom }, () => now);
    relay.addLink('ann', ann.host);
    relay.addLink('bob', bob.host);
    const bobGot = receiver(bob.member);
    relay.start(transfer, 'ann', CHUNKS * CHUNK_BYTES);
    for (let index = 0; index < 5; index += 1) ann.member.sendBulk(chunkFrame(id, index, chunkData(index)));
    await settle();
    ann.member.close();
    await settle();
    // Ann links again and says she can go on: she is asked for what Bob lacks, and the file completes.
    const again = await network.openPair();
    relay.addLink('ann', again.host);
    const sender = fakeSender(again.member);
    again.member.sendBulk(resumeFrame(id, CHUNK_BYTES));
    await settle();
    expect(sender.state.seeks).toEqual([5]);
    await sender.pump();
    expect(bobGot.indices).toEqual(range(0, CHUNKS));
    expect(bobGot.ends).toEqual([]);
    // Another transfer: Ann's link closes and she leaves the room; Bob is told within a sweep.
    const other = new Uint8Array(16).fill(8);
    relay.start(toBase64url(other), 'ann', 10 * CHUNK_BYTES);
    again.member.close();
    await settle();
    expect(bobGot.ends).toEqual([]);
    inRoom = ['bob'];
    vi.advanceTimersByTime(1000);
    now += FILE_SENDER_GONE_MS;
    vi.advanceTimersByTime(1000);
    await settle();
    expect(bobGot.ends).toEqual([EndReason.senderGone]);
    relay.close();
  });

  it('ends a transfer at once for its receivers when the sender answers a seek with "not kept"', async () => {
    const { relay, ann, bob, carl } = await room();
    const sender = fakeSender(ann.member);
    const bobGot = receiver(bob.member);
    const carlGot = receiver(carl.member);
    bob.member.sendBulk(wantFrame(id, 0));
    ann.member.sendBulk(resumeFrame(id, CHUNK_BYTES));
    await settle();
    await sender.pump();
    expect(bobGot.indices).toEqual(range(0, CHUNKS));
    // Bob reloaded and asks again; the sender's page no longer has the file and says so instead of staying silent.
    bob.member.sendBulk(wantFrame(id, 40));
    await settle();
    expect(sender.state.seeks).toEqual([0, 40]);
    ann.member.sendBulk(endFrame(id, EndReason.notKept));
    await settle();
    expect(bobGot.ends).toEqual([EndReason.notKept]);
    // Asked again, the host answers with how it ended, without asking the sender.
    carl.member.sendBulk(wantFrame(id, 0));
    await settle();
    expect(carlGot.ends).toEqual([EndReason.notKept]);
    expect(sender.state.seeks).toEqual([0, 40]);
    expect(sender.state.ends).toEqual([]);
    relay.close();
  });

  it('ends its own carried-over file for the receivers when this tab no longer has it', async () => {
    const seeks: number[] = [];
    const known = (t: string) => (t === transfer ? { sender: 'hana', size: CHUNKS * CHUNK_BYTES, overhead: 0 } : undefined);
    const { relay, bob } = await room({ known, seek: (_t, index) => (seeks.push(index), false) });
    const bobGot = receiver(bob.member);
    relay.resumeOwn(transfer, CHUNK_BYTES);
    bob.member.sendBulk(wantFrame(id, 10));
    await settle();
    expect(seeks).toEqual([10]);
    expect(bobGot.ends).toEqual([EndReason.notKept]);
    relay.close();
  });

  it('asks a sender that says nothing (its file completed under the previous host) and goes on once it answers', async () => {
    const { relay, ann, bob } = await room();
    const sender = fakeSender(ann.member);
    const bobGot = receiver(bob.member);
    // Bob reloaded his page and wants the rest; Ann finished sending under the previous host, so she does not resume.
    bob.member.sendBulk(wantFrame(id, 40));
    await settle();
    expect(sender.state.asks).toEqual([40]);
    expect(sender.state.seeks).toEqual([]);
    ann.member.sendBulk(resumeFrame(id, CHUNK_BYTES));
    await settle();
    expect(sender.state.seeks).toEqual([40]);
    // Said again (a sender whose link was replaced, or that said it twice): not a refusal; it is told where from again.
    ann.member.sendBulk(resumeFrame(id, CHUNK_BYTES));
    await settle();
    expect(sender.state.seeks).toEqual([40, 40]);
    await sender.pump();
    expect(bobGot.indices).toEqual(range(40, CHUNKS));
    expect([...bobGot.ends, ...sender.state.ends]).toEqual([]);
    expect(sender.state.asks).toEqual([40]);
    relay.close();
  });

  it('tells the receivers at once when the sender, asked, no longer has the file', async () => {
    const { relay, ann, bob } = await room();
    const sender = fakeSender(ann.member);
    const bobGot = receiver(bob.member);
    bob.member.sendBulk(wantFrame(id, 40));
    await settle();
    expect(sender.state.asks).toEqual([40]);
    ann.member.sendBulk(endFrame(id, EndReason.notKept));
    await settle();
    expect(bobGot.ends).toEqual([EndReason.notKept]);
    relay.close();
  });

  it('asks this tab itself for its own file that completed under the previous host', async () => {
    const seeks: number[] = [];
    const known = (t: string) => (t === transfer ? { sender: 'hana', size: CHUNKS * CHUNK_BYTES, overhead: 0 } : undefined);
    const kept = await room({ known, chunkBytesOf: () => CHUNK_BYTES, seek: (_t, index) => (seeks.push(index), true) });
    kept.bob.member.sendBulk(wantFrame(id, 10));
    await settle();
    expect(seeks).toEqual([10]);
    kept.relay.close();
    const gone = await room({ known, chunkBytesOf: () => undefined, seek: (_t, index) => (seeks.push(index), true) });
    const bobGot = receiver(gone.bob.member);
    gone.bob.member.sendBulk(wantFrame(id, 10));
    await settle();
    expect(bobGot.ends).toEqual([EndReason.notKept]);
    expect(seeks).toEqual([10]);
    gone.relay.close();
  });

  it('drops a chunk it already took when a sender said resume again mid-way, rather than refusing the transfer', async () => {
    const { relay, ann, bob } = await room();
    const sender = fakeSender(ann.member);
    const bobGot = receiver(bob.member);
    relay.start(transfer, 'ann', CHUNKS * CHUNK_BYTES);
    for (let index = 0; index < 16; index += 1) ann.member.sendBulk(chunkFrame(id, index, chunkData(index)));
    await settle();
    expect(bobGot.indices).toEqual(range(0, 16));
    // Ann says resume again (her link was replaced): she is told to go on from 16. Before she reads that, her running
    // sender sends 16 and 17; then she goes (back) to 16 as told.
    ann.member.sendBulk(resumeFrame(id, CHUNK_BYTES));
    ann.member.sendBulk(chunkFrame(id, 16, chunkData(16)));
    ann.member.sendBulk(chunkFrame(id, 17, chunkData(17)));
    await settle();
    expect(sender.state.seeks).toEqual([16]);
    ann.member.sendBulk(chunkFrame(id, 16, chunkData(16)));
    await settle();
    expect([...bobGot.ends, ...sender.state.ends]).toEqual([]);
    expect(bobGot.indices).toEqual(range(0, 18));
    relay.close();
  });

  it('takes no carried-over transfer on for someone who may not resume or want it, so the file stays to be asked for', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = 0;
    const { relay, ann, bob, carl } = await room({}, () => now);
    const sender = fakeSender(ann.member);
    const bobGot = receiver(bob.member);
    const carlGot = receiver(carl.member);
    // Bob is not the sender; Ann does not want her own file.
    bob.member.sendBulk(resumeFrame(id, CHUNK_BYTES));
    ann.member.sendBulk(wantFrame(id, 0));
    await settle();
    expect(bobGot.ends).toEqual([EndReason.refused]);
    now += FILE_RESUME_TIMEOUT_MS;
    vi.advanceTimersByTime(1000);
    await settle();
    // Carl reloaded his page and wants the rest of the file Ann sent in full under the previous host: she is asked.
    carl.member.sendBulk(wantFrame(id, 40));
    await settle();
    expect(carlGot.ends).toEqual([]);
    expect(sender.state.asks).toEqual([40]);
    relay.close();
  });

  it('refuses a resume from anyone but the sender', async () => {
    const { relay, bob } = await room();
    const bobGot = receiver(bob.member);
    bob.member.sendBulk(resumeFrame(id, CHUNK_BYTES));
    await settle();
    expect(bobGot.ends).toEqual([EndReason.refused]);
    relay.close();
  });

  it('gives up on a sender that never comes back, and tells the receivers the sender is gone', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = 0;
    const { relay, bob } = await room({}, () => now);
    const bobGot = receiver(bob.member);
    bob.member.sendBulk(wantFrame(id, 5));
    await settle();
    now += FILE_RESUME_TIMEOUT_MS - 1;
    vi.advanceTimersByTime(1000);
    await settle();
    expect(bobGot.ends).toEqual([]);
    now += 2;
    vi.advanceTimersByTime(1000);
    await settle();
    expect(bobGot.ends).toEqual([EndReason.senderGone]);
    // Asked again, the host remembers how it ended.
    bob.member.sendBulk(wantFrame(id, 5));
    await settle();
    expect(bobGot.ends).toEqual([EndReason.senderGone, EndReason.senderGone]);
    relay.close();
  });
});
