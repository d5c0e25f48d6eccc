import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { addMember, emptyRoster, handOver, hasMember, maySignal, nameKey, removeMember, type Roster } from '../../../shared/roster.ts';
import { InMemoryRoomRegistry } from '../../../signaling/rooms.ts';

/**
 * Property tests of the roster functions and the in-memory registry: whatever sequence of joins, leaves and
 * hand-overs arrives, the invariants hold, and the registry agrees with the pure functions applied in order.
 */

type Op =
  | { readonly kind: 'add'; readonly name: string }
  | { readonly kind: 'remove'; readonly pick: number }
  | { readonly kind: 'removeUnknown' }
  | { readonly kind: 'handOver' };

// Few distinct names (some equal under NFKC and case folding) so that name clashes actually happen.
const names = fc.constantFrom('Ann', 'ann', 'ＡＮＮ', 'Bob', 'Cleo', 'Dev', 'Eve', 'Finn', 'Gus', 'Hal', 'Ida', 'Jo', 'Kai');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: names.map((name) => ({ kind: 'add' as const, name })) },
  { weight: 2, arbitrary: fc.nat().map((pick) => ({ kind: 'remove' as const, pick })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'removeUnknown' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'handOver' as const }) },
);

/** Every invariant a roster must keep. */
function expectInvariants(roster: Roster, max: number): void {
  const ids = roster.members.map((member) => member.id);
  expect(new Set(ids).size).toBe(ids.length);
  const keys = roster.members.map((member) => nameKey(member.name));
  expect(new Set(keys).size).toBe(keys.length);
  expect(roster.members.length).toBeLessThanOrEqual(max);
  if (roster.members.length === 0) expect(roster.hostId).toBeNull();
  else expect(ids).toContain(roster.hostId);
  for (const from of ids) {
    for (const to of ids) {
      // The star: a member signals only the host, and the host every member.
      expect(maySignal(roster, from, to)).toBe(from !== to && (from === roster.hostId || to === roster.hostId));
    }
  }
}

/** Applies one operation with the pure functions; checks what each promises along the way. */
function apply(roster: Roster, operation: Op, nextId: () => string, max: number): Roster {
  switch (operation.kind) {
    case 'add': {
      const result = addMember(roster, { id: nextId(), name: operation.name }, max);
      const clash = roster.members.some((member) => nameKey(member.name) === nameKey(operation.name));
      if (roster.members.length >= max) expect(result).toStrictEqual({ ok: false, error: ErrorCode.RoomFull });
      else if (clash) expect(result).toStrictEqual({ ok: false, error: ErrorCode.NameTaken });
      else expect(result.ok).toBe(true);
      if (!result.ok) return roster;
      // The newcomer is last; the host stays unless the room was empty.
      expect(result.value.members.slice(0, -1)).toStrictEqual(roster.members);
      expect(result.value.hostId).toBe(roster.hostId ?? result.value.members[0]?.id);
      return result.value;
    }
    case 'remove': {
      const target = roster.members[operation.pick % Math.max(1, roster.members.length)];
      if (!target) return roster;
      const next = removeMember(roster, target.id);
      expect(hasMember(next, target.id)).toBe(false);
      expect(next.members).toStrictEqual(roster.members.filter((member) => member.id !== target.id));
      // A departing host is replaced by the member present longest; anyone else leaves the host in place.
      expect(next.hostId).toBe(target.id === roster.hostId ? (next.members[0]?.id ?? null) : roster.hostId);
      return next;
    }
    case 'removeUnknown':
      expect(removeMember(roster, 'nobody-has-this-id')).toBe(roster);
      return roster;
    case 'handOver': {
      const next = handOver(roster);
      expect(new Set(next.members)).toStrictEqual(new Set(roster.members));
      if (roster.members.length >= 2) {
        expect(next.hostId).not.toBe(roster.hostId);
        expect(next.members.at(-1)?.id).toBe(roster.hostId);
      } else {
        expect(next).toBe(roster);
      }
      return next;
    }
  }
}

describe('roster functions', () => {
  it('keep every invariant through any sequence of joins, leaves and hand-overs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 60 }), (max, ops) => {
        let counter = 0;
        let roster = emptyRoster;
        for (const operation of ops) {
          roster = apply(roster, operation, () => `p${++counter}`, max);
          expectInvariants(roster, max);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('InMemoryRoomRegistry', () => {
  const roomOp = fc.tuple(fc.constantFrom('r1', 'r2', 'r3'), op);

  it('agrees with the pure functions in every room, and forgets rooms that empty', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(roomOp, { maxLength: 60 }), async (max, ops) => {
        const registry = new InMemoryRoomRegistry({ maxMembers: max });
        const model = new Map<string, Roster>();
        let counter = 0;
        for (const [room, operation] of ops) {
          const before = model.get(room) ?? emptyRoster;
          const id = `p${++counter}`;
          const after = apply(before, operation, () => id, max);
          switch (operation.kind) {
            case 'add': {
              const result = await registry.join(room, { id, name: operation.name });
              expect(result.ok ? result.value : before).toStrictEqual(after);
              break;
            }
            case 'remove': {
              const target = before.members[operation.pick % Math.max(1, before.members.length)];
              const result = await registry.leave(room, target?.id ?? 'absent');
              expect(result).toStrictEqual(target ? after : null);
              break;
            }
            case 'removeUnknown':
              expect(await registry.leave(room, 'nobody-has-this-id')).toBeNull();
              break;
            case 'handOver':
              await registry.handOver(room, before.hostId ?? 'absent');
              break;
          }
          if (after.members.length === 0) model.delete(room);
          else model.set(room, after);
          expect(await registry.roster(room)).toStrictEqual(model.get(room) ?? null);
          expect(await registry.roomCount()).toBe(model.size);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('ignores a hand-over asked by anyone but the host', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(names, { minLength: 2, maxLength: 5 }), async (people) => {
        const registry = new InMemoryRoomRegistry({ maxMembers: 10 });
        for (const [i, name] of people.entries()) await registry.join('room', { id: `p${i}`, name });
        const roster = await registry.roster('room');
        for (const member of roster?.members ?? []) {
          if (member.id !== roster?.hostId) expect(await registry.handOver('room', member.id)).toBeNull();
        }
        expect(await registry.roster('room')).toStrictEqual(roster);
      }),
      { numRuns: 100 },
    );
  });
});

describe('nameKey', () => {
  it('is the NFKC form in lower case for any text, ASCII names (which skip the normalizer) included', () => {
    const slow = (name: string): string => name.normalize('NFKC').toLowerCase();
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (name) => nameKey(name) === slow(name)));
    fc.assert(fc.property(fc.string(), (name) => nameKey(name) === slow(name)));
    for (let code = 0; code < 128; code++) expect(nameKey(String.fromCharCode(code))).toBe(slow(String.fromCharCode(code)));
  });
});
