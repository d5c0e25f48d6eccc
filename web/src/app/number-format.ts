/**
 * Numbers as the page's language writes them ("1.5 MiB", "1,5 MiB" in German): the language is the page's
 * `<html lang>`, which follows the one shown (app/language.ts). Made when asked, so a change of language shows at once.
 */
export function formatNumber(value: number, fractionDigits = 0): string {
  const lang = globalThis.document?.documentElement.lang || undefined;
  return new Intl.NumberFormat(lang, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value);
}

/** A size as people read it: bytes, KiB, MiB or GiB, with one decimal under 10. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? formatNumber(value, 1) : formatNumber(Math.round(value))} ${units[unit]}`;
}
