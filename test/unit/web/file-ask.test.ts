import { afterEach, describe, expect, it, vi } from 'vitest';
import { endFrame, EndReason, resumeFrame, wantFrame } from '../../../shared/files/bulk-frame.ts';
import { chunkFrame } from '../../../shared/files/relay-frames.ts';
import { FILE_RESUME_TIMEOUT_MS } from '../../../shared/limits.ts';
import { CHUNK_BYTES, CHUNKS, carryOverRoom as room, chunkData, fakeSender, id, range, receiver, settle, transfer } from '../../support/carry-over-room.ts';

/**
 * A new host asked for the rest of a file it has no record of (it completed under the previous host; a receiver
 * reloaded its page): it `ask`s the sender, and only frames from those who may send or receive the file take it on.
 */
describe('a new host asks the sender for a file that completed before it hosted', () => {
  afterEach(() => vi.useRealTimers());

  /** Bob reloaded his page and wants the rest from chunk 40; Ann sent the file in full before, so she does not resume. */
  async function bobWantsTheRest() {
    const { relay, ann, bob } = await room();
    const sender = fakeSender(ann.member);
    const bobGot = receiver(bob.member);
    bob.member.sendBulk(wantFrame(id, 40));
    await settle();
    return { relay, ann, sender, bobGot };
  }

  it('asks a sender that says nothing (its file completed under the previous host) and goes on once it answers', async () => {
    const { relay, ann, sender, bobGot } = await bobWantsTheRest();
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
    const { relay, ann, sender, bobGot } = await bobWantsTheRest();
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
});
