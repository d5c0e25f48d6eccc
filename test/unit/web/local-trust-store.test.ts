import { describe, expect, it } from 'vitest';
import { identityFromSeed } from '../../../shared/crypto/identity.ts';
import type { Roster } from '../../../shared/roster.ts';
import { RoomIdentities } from '../../../web/src/net/room-identities.ts';
import { LocalTrustStore, openTrustStore, type KeyValueStorage } from '../../../web/src/storage/local-trust-store.ts';

/** localStorage as a Map; `full` makes every write throw as a full or blocked storage does. */
class MapStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  full = false;
  get length(): number {
    return this.items.size;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.full) throw new DOMException('full', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    if (this.full) throw new DOMException('full', 'QuotaExceededError');
    this.items.delete(key);
  }
}

const ANN_KEY = 'A'.repeat(86);
const ANN_NEW_KEY = 'B'.repeat(86);

describe('LocalTrustStore', () => {
  it('remembers which name had which key across visits, whatever the case of the name', () => {
    const storage = new MapStorage();
    new LocalTrustStore(storage).rememberKey('Ann', ANN_KEY);
    const later = new LocalTrustStore(storage);
    expect(later.knownKey('ann')).toBe(ANN_KEY);
    expect(later.knownKey('ANN')).toBe(ANN_KEY);
    expect(later.knownKey('Bob')).toBeUndefined();
    later.rememberKey('ANN', ANN_NEW_KEY);
    expect(new LocalTrustStore(storage).knownKey('Ann')).toBe(ANN_NEW_KEY);
  });

  it('remembers verified keys across visits, and forgets one that is unverified', () => {
    const storage = new MapStorage();
    const store = new LocalTrustStore(storage);
    store.setVerified(ANN_KEY, true);
    expect(store.isVerified(ANN_KEY)).toBe(true);
    expect(new LocalTrustStore(storage).isVerified(ANN_KEY)).toBe(true);
    expect(new LocalTrustStore(storage).isVerified(ANN_NEW_KEY)).toBe(false);
    store.setVerified(ANN_KEY, false);
    expect(store.isVerified(ANN_KEY)).toBe(false);
    expect(new LocalTrustStore(storage).isVerified(ANN_KEY)).toBe(false);
  });

  it('keeps one entry per name and per key, so two tabs writing at once do not overwrite each other', () => {
    const storage = new MapStorage();
    const tabA = new LocalTrustStore(storage);
    const tabB = new LocalTrustStore(storage);
    tabA.setVerified(ANN_KEY, true);
    tabB.setVerified(ANN_NEW_KEY, true);
    tabA.rememberKey('Ann', ANN_KEY);
    tabB.rememberKey('Bob', ANN_NEW_KEY);
    const later = new LocalTrustStore(storage);
    expect([later.isVerified(ANN_KEY), later.isVerified(ANN_NEW_KEY)]).toEqual([true, true]);
    expect([later.knownKey('Ann'), later.knownKey('Bob')]).toEqual([ANN_KEY, ANN_NEW_KEY]);
  });

  it('leaves other entries of the page alone and ignores them', () => {
    const storage = new MapStorage();
    storage.setItem('chatus.name', 'Ann');
    const store = new LocalTrustStore(storage);
    store.rememberKey('Bob', ANN_KEY);
    expect(store.knownKey('chatus.name')).toBeUndefined();
    expect(storage.getItem('chatus.name')).toBe('Ann');
  });

  it('keeps a change in memory for this visit when the storage refuses to write', () => {
    const storage = new MapStorage();
    storage.full = true;
    const store = new LocalTrustStore(storage);
    store.setVerified(ANN_KEY, true);
    store.rememberKey('Ann', ANN_KEY);
    expect(store.isVerified(ANN_KEY)).toBe(true);
    expect(store.knownKey('Ann')).toBe(ANN_KEY);
    expect(storage.items.size).toBe(0);
  });
});

describe('openTrustStore', () => {
  it('is kept when the storage is there, and in memory when touching it throws (site data blocked)', () => {
    const storage = new MapStorage();
    const kept = openTrustStore(() => storage);
    expect(kept.kept).toBe(true);
    kept.trust.setVerified(ANN_KEY, true);
    expect(storage.items.size).toBe(1);

    const blocked = openTrustStore(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    });
    expect(blocked.kept).toBe(false);
    blocked.trust.setVerified(ANN_KEY, true);
    expect(blocked.trust.isVerified(ANN_KEY)).toBe(true);
  });
});

describe('RoomIdentities over a kept trust store (one visit after another)', () => {
  const me = identityFromSeed(new Uint8Array(32).fill(1));
  const roster = (annKey: string): Roster => ({ hostId: 'a', members: [{ id: 'a', name: 'Ann', identity: annKey }] });
  const visit = (storage: KeyValueStorage) => new RoomIdentities(me, 'room', new LocalTrustStore(storage));

  it('flags a known name with a new key on a later visit, and keeps a verification', () => {
    const storage = new MapStorage();
    const first = visit(storage);
    expect(first.learn(roster(ANN_KEY))).toEqual([]);
    first.setVerified(ANN_KEY, true);

    const second = visit(storage);
    expect(second.learn(roster(ANN_KEY))).toEqual([]);
    expect(second.statusOf(ANN_KEY)).toBe('verified');

    const third = visit(storage);
    expect(third.learn(roster(ANN_NEW_KEY))).toEqual(['Ann']);
    expect(third.statusOf(ANN_NEW_KEY)).toBe('changed');
  });
});
