import { expect } from 'vitest';
import { toBase64url } from '../../shared/crypto/encoding.ts';
import { decodeBulkFrame, type BulkFrame, type EndReason } from '../../shared/files/bulk-frame.ts';
import { chunkFrame } from '../../shared/files/relay-frames.ts';
import { FILE_WINDOW_CHUNKS } from '../../shared/limits.ts';
import { HostRelay } from '../../web/src/net/files/host-relay.ts';
import type { LocalEnd } from '../../web/src/net/files/relay-end.ts';
import { MemoryNetwork, type MemoryLink } from './memory-link.ts';
import { noLocalEnd } from './relay-ends.ts';

/**
 * A host relay carrying transfers over, over in-memory links, for the unit tests of carry-over, catch-up and `ask`:
 * Hana hosts; Ann sends a file of CHUNKS chunks of CHUNK_BYTES; Bob and Carl receive it.
 */

export const id = new Uint8Array(16).fill(7);
export const transfer = toBase64url(id);
export const CHUNK_BYTES = 100;
export const CHUNKS = 100;
export const chunkData = (index: number) => Uint8Array.from({ length: CHUNK_BYTES }, (_, i) => (index * 7 + i) & 0xff);
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A sender as the real one behaves: never more than a window past the acknowledgements, going where a seek says. */
export function fakeSender(link: MemoryLink) {
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
export function receiver(link: MemoryLink) {
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

export const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** The relay (with `local` for the hosting tab's side, and its clock) and the three members' in-memory links. */
export async function carryOverRoom(local: Partial<LocalEnd> = {}, now = () => 0) {
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
