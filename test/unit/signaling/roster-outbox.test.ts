import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../shared/protocol/server-message.ts';
import type { Roster } from '../../../shared/roster.ts';
import { RosterOutbox } from '../../../signaling/roster-outbox.ts';

/** A roster of `ids`, hosted by the first. */
const roster = (...ids: string[]): Roster => ({ hostId: ids[0] ?? null, members: ids.map((id) => ({ id, name: id.toUpperCase() })) });

/** An outbox whose deferred runs wait in `turn` until the test ends the turn, and what each member's socket got. */
function outbox(local: readonly string[]) {
  const turn: (() => void)[] = [];
  const got = new Map<string, { message: ServerMessage; json: string | undefined }[]>(local.map((id) => [id, []]));
  const box = new RosterOutbox(
    (run) => turn.push(run),
    (peerId) => (got.has(peerId) ? { send: (message, json) => got.get(peerId)!.push({ message, json }) } : undefined),
  );
  const endTurn = () => turn.splice(0).forEach((run) => run());
  return { box, got, endTurn, turn };
}

describe('the roster outbox', () => {
  it('sends each member only the newest roster of a turn, once, serialized once for the room', () => {
    const { box, got, endTurn, turn } = outbox(['h', 'a', 'b', 'c']);
    box.post('r', roster('h', 'a'));
    box.post('r', roster('h', 'a', 'b'));
    box.post('r', roster('h', 'a', 'b', 'c'));
    expect([...got.values()].flat()).toEqual([]);
    expect(turn).toHaveLength(1);
    endTurn();
    for (const id of ['h', 'a', 'b', 'c']) {
      expect(got.get(id)).toHaveLength(1);
      const { message, json } = got.get(id)![0]!;
      expect(message).toEqual({ type: 'roster', hostId: 'h', members: roster('h', 'a', 'b', 'c').members });
      expect(JSON.parse(json!)).toEqual(message);
    }
    // The next turn starts afresh.
    box.post('r', roster('h', 'a', 'b'));
    endTurn();
    expect(got.get('c')).toHaveLength(1);
    expect(got.get('a')!.map(({ message }) => message.type === 'roster' && message.members.length)).toEqual([4, 3]);
  });

  it('keeps rooms apart, skips members on other processes, and sends no roster without a host', () => {
    const { box, got, endTurn } = outbox(['h', 'a', 'x']);
    box.post('r1', roster('h', 'a', 'elsewhere'));
    box.post('r2', roster('x'));
    box.post('r2', { hostId: null, members: [] });
    endTurn();
    expect(got.get('h')).toHaveLength(1);
    expect(got.get('a')).toHaveLength(1);
    expect(got.get('x')).toEqual([]);
  });

  it('sends the newcomer its roster at once, and at the end of the turn only if a newer one came', () => {
    const { box, got, endTurn } = outbox(['h', 'a', 'b']);
    box.post('r', roster('h', 'a'), 'a');
    expect(got.get('a')).toHaveLength(1);
    expect(got.get('h')).toEqual([]);
    endTurn();
    expect(got.get('a')).toHaveLength(1);
    expect(got.get('h')).toHaveLength(1);
    box.post('r', roster('h', 'a', 'b'), 'b');
    box.post('r', roster('h', 'b'));
    expect(got.get('b')).toHaveLength(1);
    endTurn();
    // Ann left after Bob's join: Bob gets the newer roster too, Hana one for the turn, Ann none (not in it).
    const sizes = (id: string) => got.get(id)!.map(({ message }) => (message.type === 'roster' ? message.members.length : 0));
    expect(sizes('b')).toEqual([3, 2]);
    expect(sizes('h')).toEqual([2, 2]);
    expect(sizes('a')).toEqual([2]);
  });

  it('flushes a waiting roster at once when asked, and then has nothing left for the end of the turn', () => {
    const { box, got, endTurn } = outbox(['h']);
    box.post('r', roster('h'));
    box.flush('r');
    expect(got.get('h')).toHaveLength(1);
    endTurn();
    expect(got.get('h')).toHaveLength(1);
  });
});
