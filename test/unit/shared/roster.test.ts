import { describe, expect, it } from 'vitest';
import { MAX_ROOM_MEMBERS } from '../../../shared/limits.ts';
import type { RosterEntry } from '../../../shared/protocol/server-message.ts';
import {
  addMember,
  electHost,
  emptyRoster,
  handOver,
  hasMember,
  maySignal,
  memberName,
  nameKey,
  removeMember,
  type Roster,
} from '../../../shared/roster.ts';

/** Adds members in order; fails the test if any add is refused. */
function rosterOf(...names: string[]): Roster {
  return names.reduce<Roster>((roster, name) => {
    const next = addMember(roster, { id: `id-${name}`, name });
    if (!next.ok) throw new Error(`could not add ${name}: ${next.error}`);
    return next.value;
  }, emptyRoster);
}

const ids = (roster: Roster): string[] => roster.members.map((m) => m.id);

describe('addMember', () => {
  it('makes the first member of an empty room its host', () => {
    expect(addMember(emptyRoster, { id: 'a', name: 'Ann' })).toStrictEqual({
      ok: true,
      value: { members: [{ id: 'a', name: 'Ann' }], hostId: 'a' },
    });
  });

  it('appends later members in join order and keeps the host', () => {
    const roster = rosterOf('Ann', 'Bob', 'Cy');
    expect(ids(roster)).toEqual(['id-Ann', 'id-Bob', 'id-Cy']);
    expect(roster.hostId).toBe('id-Ann');
  });

  it('leaves the roster it was given untouched', () => {
    const before = rosterOf('Ann');
    const snapshot = structuredClone(before);
    addMember(before, { id: 'b', name: 'Bob' });
    expect(before).toStrictEqual(snapshot);
  });

  it.each([
    ['the same name', 'Ann'],
    ['lower case', 'ann'],
    ['upper case', 'ANN'],
    ['fullwidth letters (NFKC)', 'Ａｎｎ'],
    ['mixed fullwidth and ASCII', 'Ａnn'],
  ])('refuses a name taken in another form: %s', (_label, name) => {
    expect(addMember(rosterOf('Ann'), { id: 'x', name })).toStrictEqual({ ok: false, error: 'ERR_NAME_TAKEN' });
  });

  it('treats compatibility ligatures as the letters they stand for', () => {
    expect(addMember(rosterOf('fifi'), { id: 'x', name: 'ﬁﬁ' })).toStrictEqual({ ok: false, error: 'ERR_NAME_TAKEN' });
  });

  it.each([['Anna'], ['An'], ['Ann 2'], ['Änn']])('accepts a different name: %s', (name) => {
    expect(addMember(rosterOf('Ann'), { id: 'x', name }).ok).toBe(true);
  });

  it('frees a name once its member has left', () => {
    const roster = removeMember(rosterOf('Ann', 'Bob'), 'id-Bob');
    expect(addMember(roster, { id: 'bob-2', name: 'bob' }).ok).toBe(true);
  });

  it('refuses a member when the room is full, whatever the name', () => {
    const roster = rosterOf('Ann', 'Bob');
    expect(addMember(roster, { id: 'c', name: 'Cy' }, 2)).toStrictEqual({ ok: false, error: 'ERR_ROOM_FULL' });
    expect(addMember(roster, { id: 'c', name: 'Cy' }, 3).ok).toBe(true);
  });

  it(`holds MAX_ROOM_MEMBERS (${MAX_ROOM_MEMBERS}) by default and no more`, () => {
    const full = rosterOf(...Array.from({ length: MAX_ROOM_MEMBERS }, (_, i) => `P${i}`));
    expect(full.members).toHaveLength(MAX_ROOM_MEMBERS);
    expect(addMember(full, { id: 'late', name: 'Late' })).toStrictEqual({ ok: false, error: 'ERR_ROOM_FULL' });
  });
});

describe('removeMember', () => {
  it('removes a member who is not the host and keeps the host', () => {
    const roster = removeMember(rosterOf('Ann', 'Bob', 'Cy'), 'id-Bob');
    expect(roster).toStrictEqual({ members: [{ id: 'id-Ann', name: 'Ann' }, { id: 'id-Cy', name: 'Cy' }], hostId: 'id-Ann' });
  });

  it('makes the member present longest the host when the host leaves', () => {
    const roster = removeMember(rosterOf('Ann', 'Bob', 'Cy'), 'id-Ann');
    expect(roster.hostId).toBe('id-Bob');
    expect(ids(roster)).toEqual(['id-Bob', 'id-Cy']);
  });

  it('elects by time present, not by name or id order', () => {
    // Zed joined before Al; both after the host. Bob left earlier, so Zed has been present longest.
    let roster = rosterOf('Host', 'Bob', 'Zed');
    roster = removeMember(roster, 'id-Bob');
    const added = addMember(roster, { id: 'aaa', name: 'Al' });
    if (!added.ok) throw new Error(added.error);
    roster = removeMember(added.value, 'id-Host');
    expect(roster.hostId).toBe('id-Zed');
  });

  it('empties the room and clears the host when the last member leaves', () => {
    expect(removeMember(rosterOf('Ann'), 'id-Ann')).toStrictEqual({ members: [], hostId: null });
  });

  it('returns the very same object for an unknown id', () => {
    const roster = rosterOf('Ann', 'Bob');
    expect(removeMember(roster, 'nobody')).toBe(roster);
    expect(removeMember(emptyRoster, 'nobody')).toBe(emptyRoster);
  });

  it('leaves the roster it was given untouched', () => {
    const before = rosterOf('Ann', 'Bob');
    const snapshot = structuredClone(before);
    removeMember(before, 'id-Ann');
    expect(before).toStrictEqual(snapshot);
  });
});

describe('electHost', () => {
  it('picks the first member, or nobody', () => {
    const members: RosterEntry[] = [{ id: 'z', name: 'Z' }, { id: 'a', name: 'A' }];
    expect(electHost(members)).toBe('z');
    expect(electHost([])).toBeNull();
  });
});

describe('maySignal', () => {
  const roster = rosterOf('Host', 'Ann', 'Bob');
  const other = rosterOf('Stranger');

  it.each([
    ['member to host', 'id-Ann', 'id-Host', true],
    ['host to member', 'id-Host', 'id-Bob', true],
    ['member to member', 'id-Ann', 'id-Bob', false],
    ['member to itself', 'id-Ann', 'id-Ann', false],
    ['host to itself', 'id-Host', 'id-Host', false],
    ['an unknown sender to the host', 'id-Stranger', 'id-Host', false],
    ['host to an unknown peer', 'id-Host', 'id-Stranger', false],
  ])('%s: %s', (_label, from, to, allowed) => {
    expect(maySignal(roster, from, to)).toBe(allowed);
  });

  it('follows the host role when it moves', () => {
    const moved = removeMember(roster, 'id-Host');
    expect(maySignal(moved, 'id-Bob', 'id-Ann')).toBe(true);
    expect(maySignal(moved, 'id-Bob', 'id-Host')).toBe(false);
    expect(maySignal(other, 'id-Ann', 'id-Host')).toBe(false);
  });
});

describe('handOver', () => {
  it('moves the host to the end and makes the member present longest the host', () => {
    const roster = handOver(rosterOf('Host', 'Ann', 'Bob'));
    expect(ids(roster)).toEqual(['id-Ann', 'id-Bob', 'id-Host']);
    expect(roster.hostId).toBe('id-Ann');
  });

  it('leaves a room of one as it is', () => {
    const roster = rosterOf('Solo');
    expect(handOver(roster)).toBe(roster);
  });
});

describe('lookups', () => {
  it('hasMember and memberName answer for present members only', () => {
    const roster = rosterOf('Ann');
    expect(hasMember(roster, 'id-Ann')).toBe(true);
    expect(hasMember(roster, 'id-Bob')).toBe(false);
    expect(memberName(roster, 'id-Ann')).toBe('Ann');
    expect(memberName(roster, 'id-Bob')).toBeUndefined();
  });

  it('nameKey folds case and compatibility forms', () => {
    expect(nameKey('Ａｎｎ')).toBe('ann');
    expect(nameKey('ANN')).toBe(nameKey('ann'));
    expect(nameKey('Ann')).not.toBe(nameKey('Anna'));
  });
});
