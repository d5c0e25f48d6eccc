import type { KeyValueStorage } from './local-trust-store.ts';

/** Where the language picked with the form's switch is kept (localStorage: small, not secret, read before the first screen). */
const LANGUAGE_KEY = 'chatus.language';

/** The language this browser profile picked with the switch, or null when it never did (or storage is blocked). */
export function loadLanguageChoice(storage: () => KeyValueStorage | undefined): string | null {
  try {
    return storage()?.getItem(LANGUAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** Keeps the language picked with the switch; false when the browser refused (it then holds for this visit only). */
export function saveLanguageChoice(storage: () => KeyValueStorage | undefined, language: string): boolean {
  try {
    storage()?.setItem(LANGUAGE_KEY, language);
    return storage() !== undefined;
  } catch {
    return false;
  }
}
