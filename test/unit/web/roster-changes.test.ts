import { describe, expect, it } from 'vitest';
import { emptyRoster, type Roster } from '../../../shared/roster.ts';
import { rosterChanges } from '../../../web/src/net/roster-changes.ts';

const roster = (hostId: string, ...names: string[]): Roster => ({
  hostId,
  members: names.map((name) => ({ id: name.toLowerCase(), name })),
});

describe('rosterChanges', () => {
  it('says who is here on the first roster, without oneself', () => {
    expect(rosterChanges(emptyRoster, roster('ann', 'Ann', 'Bob', 'Me'), 'me')).toEqual(['In the room: Ann, Bob']);
    expect(rosterChanges(emptyRoster, roster('me', 'Me'), 'me')).toEqual([]);
  });

  it('reports joins, leaves and a new host', () => {
    expect(rosterChanges(roster('ann', 'Ann', 'Me'), roster('ann', 'Ann', 'Me', 'Cat'), 'me')).toEqual(['Cat joined']);
    expect(rosterChanges(roster('ann', 'Ann', 'Me', 'Cat'), roster('me', 'Me', 'Cat'), 'me')).toEqual([
      'Ann left',
      'You are now the host',
    ]);
    expect(rosterChanges(roster('ann', 'Ann', 'Bob', 'Me'), roster('bob', 'Bob', 'Me'), 'me')).toEqual([
      'Ann left',
      'Bob is now the host',
    ]);
  });
});
