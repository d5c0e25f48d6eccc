import { configureLocalization } from '@lit/localize';

/**
 * The languages ChatUs speaks, each named in itself for the switch. English is the source: its words are written in
 * the components' `msg()` calls; every other language is a catalogue in web/src/locales/, downloaded only when chosen.
 */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
] as const;

/** A language ChatUs speaks, as its BCP 47 primary tag. */
export type LanguageCode = (typeof LANGUAGES)[number]['code'];

/** The language the source is written in, and the one shown when nothing else fits. */
export const SOURCE_LANGUAGE: LanguageCode = 'en';

/** True when ChatUs speaks `code` (a bare primary tag such as `de`). */
export function isLanguage(code: string): code is LanguageCode {
  return LANGUAGES.some((language) => language.code === code);
}

/**
 * The language to show: the one picked with the switch, else the first of the browser's languages (its
 * `navigator.languages`, in the person's order of preference) that ChatUs speaks, regional variants included
 * (`de-AT` is German), else English.
 */
export function chooseLanguage(picked: string | null, browserLanguages: readonly string[]): LanguageCode {
  if (picked !== null && isLanguage(picked)) return picked;
  for (const tag of browserLanguages) {
    const primary = tag.split('-', 1)[0]?.toLowerCase() ?? '';
    if (isLanguage(primary)) return primary;
  }
  return SOURCE_LANGUAGE;
}

/** The page's language: what every `@localized()` component renders in, and the `lang` of the document. */
export interface Localisation {
  /** The language shown now. */
  readonly current: () => LanguageCode;
  /**
   * Shows `language`: downloads its catalogue (the first time), re-renders the components and sets `<html lang>`.
   * Rejects, leaving the page as it was, when the catalogue could not be downloaded.
   */
  readonly show: (language: LanguageCode) => Promise<void>;
}

/**
 * Sets up @lit/localize in runtime mode for the page whose root element is `root`. The library keeps one
 * configuration per page, so the app shell calls this once.
 */
export function startLocalisation(root: HTMLElement): Localisation {
  const { getLocale, setLocale } = configureLocalization({
    sourceLocale: SOURCE_LANGUAGE,
    targetLocales: LANGUAGES.map((language) => language.code).filter((code) => code !== SOURCE_LANGUAGE),
    // One chunk per language, fetched on first use: English pages never download a catalogue.
    loadLocale: (locale) => import(`../locales/${locale}.ts`),
  });
  const current = (): LanguageCode => {
    const locale = getLocale();
    return isLanguage(locale) ? locale : SOURCE_LANGUAGE;
  };
  return {
    current,
    async show(language) {
      // Set first: the components redraw as soon as the words are here, and their numbers follow `lang` (number-format.ts).
      root.lang = language;
      try {
        await setLocale(language);
      } finally {
        root.lang = current();
      }
    },
  };
}
