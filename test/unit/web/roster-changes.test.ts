import { describe, expect, it } from 'vitest';
import { emptyRoster, type Roster } from '../../../shared/roster.ts';
import { rosterChanges } from '../../../web/src/net/roster-changes.ts';

const roster = (hostId: string, ...names: string[]): Roster => ({
  hostId,
  members: names.map((name) => ({ id: name.toLowerCase(), name })),
});

describe('rosterChanges', () => {
  it('says who is here on the first roster, without oneself', () => {
    expect(rosterChanges(emptyRoster, roster('ann', 'Ann', 'Bob', 'Me'), 'me')).toEqual([{ kind: 'present', names: ['Ann', 'Bob'] }]);
    expect(rosterChanges(emptyRoster, roster('me', 'Me'), 'me')).toEqual([]);
  });

  it('reports joins, leaves and a new host', () => {
    expect(rosterChanges(roster('ann', 'Ann', 'Me'), roster('ann', 'Ann', 'Me', 'Cat'), 'me')).toEqual([{ kind: 'joined', name: 'Cat' }]);
    // Rosters read only newest of a burst (NewestRoster): everyone who joined in between is named.
    expect(rosterChanges(roster('ann', 'Ann', 'Me'), roster('ann', 'Ann', 'Me', 'Cat', 'Dan'), 'me')).toEqual([
      { kind: 'joined', name: 'Cat' },
      { kind: 'joined', name: 'Dan' },
    ]);
    expect(rosterChanges(roster('ann', 'Ann', 'Me', 'Cat'), roster('me', 'Me', 'Cat'), 'me')).toEqual([
      { kind: 'left', name: 'Ann' },
      { kind: 'host', name: null },
    ]);
    expect(rosterChanges(roster('ann', 'Ann', 'Bob', 'Me'), roster('bob', 'Bob', 'Me'), 'me')).toEqual([
      { kind: 'left', name: 'Ann' },
      { kind: 'host', name: 'Bob' },
    ]);
  });
});
