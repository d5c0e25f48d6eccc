import { afterEach, describe, expect, it, vi } from 'vitest';
import { toBase64url } from '../../../shared/crypto/encoding.ts';
import { endFrame, EndReason, resumeFrame, wantFrame } from '../../../shared/files/bulk-frame.ts';
import { chunkFrame } from '../../../shared/files/relay-frames.ts';
import { FILE_RESUME_GATHER_MS, FILE_RESUME_TIMEOUT_MS, FILE_REWIND_CHUNKS, FILE_SENDER_GONE_MS } from '../../../shared/limits.ts';
import { HostRelay } from '../../../web/src/net/files/host-relay.ts';
import { CHUNK_BYTES, CHUNKS, carryOverRoom as room, chunkData, fakeSender, id, range, receiver, settle, transfer } from '../../support/carry-over-room.ts';
import { MemoryNetwork } from '../../support/memory-link.ts';
import { noLocalEnd } from '../../support/relay-ends.ts';

describe('a new host carries a transfer over', () => {
  afterEach(() => vi.useRealTimers());

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
