import { describe, expect, it } from 'vitest';
import { parseServerMessage, type ServerMessage } from '../../../shared/protocol/server-message.ts';
import type { Roster } from '../../../shared/roster.ts';
import { RosterOutbox } from '../../../signaling/roster-outbox.ts';

/** A frame as the client reads it: one text frame (its header is 2 or 4 bytes for these rosters), the message its text. */
function parsed(frame: Buffer): ServerMessage {
  const header = frame[1] === 126 ? 4 : 2;
  expect([frame[0], header === 4 ? frame.readUInt16BE(2) : frame[1]]).toEqual([0x81, frame.length - header]);
  const message = parseServerMessage(frame.subarray(header).toString('utf8'));
  if (!message.ok) throw new Error(message.error.message);
  return message.value;
}

/** A roster of `ids`, hosted by the first. */
const roster = (...ids: string[]): Roster => ({ hostId: ids[0] ?? null, members: ids.map((id) => ({ id, name: id.toUpperCase() })) });

/** An outbox whose deferred runs wait in `turn` until the test ends the turn, and what each member's socket got. */
function outbox(local: readonly string[]) {
  const turn: (() => void)[] = [];
  const got = new Map<string, { message: ServerMessage; frame: Buffer }[]>(local.map((id) => [id, []]));
  const box = new RosterOutbox(
    (run) => turn.push(run),
    (peerId) => (got.has(peerId) ? { sendFrame: (frame) => got.get(peerId)!.push({ message: parsed(frame), frame }) } : undefined),
  );
  const endTurn = () => turn.splice(0).forEach((run) => run());
  /** The size of each roster `id` got, in order. */
  const sizes = (id: string) => got.get(id)!.map(({ message }) => (message.type === 'roster' ? message.members.length : -1));
  return { box, got, endTurn, turn, sizes };
}

describe('the roster outbox', () => {
  it("sends a turn's first roster at once and only the newest of the rest at its end, serialized once per roster", () => {
    const { box, got, endTurn, turn, sizes } = outbox(['h', 'a', 'b', 'c']);
    box.post('r', roster('h', 'a'));
    box.post('r', roster('h', 'a', 'b'));
    box.post('r', roster('h', 'a', 'b', 'c'));
    expect(sizes('h')).toEqual([2]);
    expect(turn).toHaveLength(1);
    endTurn();
    for (const id of ['h', 'a']) expect(sizes(id)).toEqual([2, 4]);
    for (const id of ['b', 'c']) expect(sizes(id)).toEqual([4]);
    const { message, frame } = got.get('c')![0]!;
    expect(message).toEqual({ type: 'roster', hostId: 'h', members: roster('h', 'a', 'b', 'c').members });
    // One frame for the whole room.
    for (const id of ['h', 'a', 'b']) expect(got.get(id)!.at(-1)!.frame).toBe(frame);
    // A turn with one change sends it at once and nothing more at its end.
    box.post('r', roster('h', 'a', 'b'));
    endTurn();
    expect(sizes('a')).toEqual([2, 4, 3]);
    expect(sizes('c')).toEqual([4]);
  });

  it('keeps rooms apart, skips members on other processes, and sends no roster without a host', () => {
    const { box, endTurn, turn, sizes } = outbox(['h', 'a', 'x']);
    box.post('r1', roster('h', 'a', 'elsewhere'));
    box.post('r2', { hostId: null, members: [] });
    box.post('r2', roster('x'));
    expect(turn).toHaveLength(1);
    endTurn();
    expect(sizes('h')).toEqual([3]);
    expect(sizes('a')).toEqual([3]);
    expect(sizes('x')).toEqual([1]);
  });

  it('sends a newcomer its roster at once, and at the end of the turn only a newer one', () => {
    const { box, endTurn, sizes } = outbox(['h', 'a', 'b']);
    box.post('r', roster('h'), 'h');
    box.post('r', roster('h', 'a'), 'a');
    expect(sizes('a')).toEqual([2]);
    expect(sizes('h')).toEqual([1]);
    endTurn();
    expect(sizes('a')).toEqual([2]);
    expect(sizes('h')).toEqual([1, 2]);
    box.post('r', roster('h', 'a'));
    box.post('r', roster('h', 'a', 'b'), 'b');
    box.post('r', roster('h', 'b'));
    endTurn();
    // Ann left after Bob's join: Bob gets the newer roster too, Hana the first and the newest, Ann none (not in it).
    expect(sizes('b')).toEqual([3, 2]);
    expect(sizes('h')).toEqual([1, 2, 2, 2]);
    expect(sizes('a')).toEqual([2, 2]);
  });
});
