/**
 * Numbers as the page's language writes them ("1.5 MiB", "1,5 MiB" in German): the language is the page's
 * `<html lang>`, which follows the one shown (app/language.ts). A writer makes each format once and keeps it while
 * the language stays, so that something drawn many times a second (a file's progress) does not make new ones.
 */
export class NumberWriter {
  #lang = '';
  /** The formats made for `#lang`, by fraction digits. */
  readonly #formats = new Map<number, Intl.NumberFormat>();

  number(value: number, fractionDigits = 0): string {
    const lang = globalThis.document?.documentElement.lang ?? '';
    if (lang !== this.#lang) {
      this.#lang = lang;
      this.#formats.clear();
    }
    let format = this.#formats.get(fractionDigits);
    if (!format) {
      format = new Intl.NumberFormat(lang || undefined, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
      this.#formats.set(fractionDigits, format);
    }
    return format.format(value);
  }

  /** A size as people read it: bytes, KiB, MiB or GiB, with one decimal under 10. */
  bytes(bytes: number): string {
    if (bytes < 1024) return `${this.number(bytes)} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return `${value < 10 ? this.number(value, 1) : this.number(Math.round(value))} ${units[unit]}`;
  }
}

/** One number, written once (for words made now and then, such as an error). */
export const formatNumber = (value: number, fractionDigits = 0): string => new NumberWriter().number(value, fractionDigits);

/** One size, written once (see NumberWriter.bytes). */
export const formatBytes = (bytes: number): string => new NumberWriter().bytes(bytes);
