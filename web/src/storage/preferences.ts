import type { KeyValueStorage } from './local-trust-store.ts';

/** What a person chose in Settings, for this browser profile. */
export interface Preferences {
  /** Show who is typing, and tell the room when one types (off: neither). */
  readonly typing: boolean;
  /** A desktop notification for new messages while the tab is hidden (needs https or localhost and the browser's yes). */
  readonly notifications: boolean;
  /** A short tone for new messages while the tab is hidden. */
  readonly sound: boolean;
}

/** Where the preferences are kept (localStorage: small, not secret, read at once when a room opens). */
const PREFERENCES_KEY = 'chatus.preferences';

/** What a new profile gets: typing shared and shown; nothing that makes noise or asks the browser for anything. */
export const defaultPreferences: Preferences = { typing: true, notifications: false, sound: false };

/** The preferences kept in `storage`; the defaults for what is missing, unreadable, or when storage is blocked. */
export function loadPreferences(storage: () => KeyValueStorage | undefined): Preferences {
  try {
    const value: unknown = JSON.parse(storage()?.getItem(PREFERENCES_KEY) ?? 'null');
    const kept = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const pick = (key: keyof Preferences): boolean => (typeof kept[key] === 'boolean' ? kept[key] : defaultPreferences[key]);
    return { typing: pick('typing'), notifications: pick('notifications'), sound: pick('sound') };
  } catch {
    return defaultPreferences;
  }
}

/** Keeps `preferences` in `storage`; returns false when the browser refused (they then hold for this visit only). */
export function savePreferences(storage: () => KeyValueStorage | undefined, preferences: Preferences): boolean {
  try {
    storage()?.setItem(PREFERENCES_KEY, JSON.stringify(preferences));
    return storage() !== undefined;
  } catch {
    return false;
  }
}
