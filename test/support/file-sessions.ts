import { until, type SessionPool } from './sessions.ts';
import type { RoomSession } from '../../web/src/net/room-session.ts';
import type { TransferView } from '../../web/src/net/files/transfer-view.ts';

/** Deterministic bytes that differ from chunk to chunk. */
export function fileOf(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

export const viewOf = (session: RoomSession, name: string): TransferView | undefined =>
  [...session.snapshot().files.values()].find((view) => view.file.name === name);

/** Until `session`'s transfer of the file `name` satisfies `predicate`; a timeout says how the transfer stands. */
export async function untilFile(session: RoomSession, name: string, predicate: (view: TransferView) => boolean, timeoutMs = 10_000): Promise<void> {
  const view = () => viewOf(session, name);
  await until(session, () => view() !== undefined && predicate(view()!), timeoutMs).catch((error: unknown) => {
    const { state, bytes, detail } = view() ?? {};
    throw new Error(`${session.snapshot().name}'s ${name}: ${JSON.stringify({ state, bytes, detail })}`, { cause: error });
  });
}

export async function bytesOf(view: TransferView | undefined): Promise<Uint8Array> {
  return new Uint8Array(await view!.blob!.arrayBuffer());
}

export async function room(name: string, pool: SessionPool): Promise<[RoomSession, RoomSession, RoomSession]> {
  const host = await pool.join(name, 'Hana');
  const ann = await pool.join(name, 'Ann');
  const bob = await pool.join(name, 'Bob');
  await until(ann, (s) => s.linkedToHost);
  await until(bob, (s) => s.linkedToHost);
  await linked(host, ann, bob);
  return [host, ann, bob];
}

/** Until both members' links work both ways at the host (of a room of `members`): each one's line reached the other. */
export async function linked(host: RoomSession, ann: RoomSession, bob: RoomSession, members = 3): Promise<void> {
  await until(host, () => host.snapshot().roster.members.length === members);
  ann.send('ann linked');
  bob.send('bob linked');
  await until(ann, (s) => s.timeline.some((e) => e.kind === 'chat' && e.text === 'bob linked'));
  await until(bob, (s) => s.timeline.some((e) => e.kind === 'chat' && e.text === 'ann linked'));
}

