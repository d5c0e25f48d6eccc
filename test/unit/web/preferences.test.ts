import { describe, expect, it } from 'vitest';
import { defaultPreferences, loadPreferences, savePreferences } from '../../../web/src/storage/preferences.ts';
import type { KeyValueStorage } from '../../../web/src/storage/local-trust-store.ts';

/** A Web Storage stand-in; `refuse` makes every write throw, as a full or blocked storage does. */
function memoryStorage(refuse = false): KeyValueStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      if (refuse) throw new DOMException('full', 'QuotaExceededError');
      items.set(key, value);
    },
    removeItem: (key) => void items.delete(key),
  };
}

describe('preferences in localStorage', () => {
  it('start with typing on and nothing that makes noise', () => {
    expect(loadPreferences(() => memoryStorage())).toEqual({ typing: true, notifications: false, sound: false });
    expect(loadPreferences(() => undefined)).toEqual(defaultPreferences);
  });

  it('come back as saved', () => {
    const storage = memoryStorage();
    expect(savePreferences(() => storage, { typing: false, notifications: true, sound: true })).toBe(true);
    expect(loadPreferences(() => storage)).toEqual({ typing: false, notifications: true, sound: true });
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '"yes"'],
    ['null', 'null'],
    ['fields of the wrong type', '{"typing":"no","sound":1}'],
  ])('fall back to the defaults for what is unreadable: %s', (_label, stored) => {
    const storage = memoryStorage();
    storage.items.set('chatus.preferences', stored);
    expect(loadPreferences(() => storage)).toEqual(defaultPreferences);
  });

  it('keep each readable field of a partly written entry', () => {
    const storage = memoryStorage();
    storage.items.set('chatus.preferences', '{"sound":true,"typing":3}');
    expect(loadPreferences(() => storage)).toEqual({ typing: true, notifications: false, sound: true });
  });

  it('say so when the browser refuses to keep them', () => {
    expect(savePreferences(() => memoryStorage(true), defaultPreferences)).toBe(false);
    expect(savePreferences(() => undefined, defaultPreferences)).toBe(false);
  });
});
