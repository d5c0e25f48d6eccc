/**
 * What a system line of the log says, as data: the page words it when it draws the line, in the language shown then
 * (so a line already drawn follows a change of language). Names are people's names as the roster gives them.
 */
export type SystemNote =
  /** This person joined the room `room` as `name`. */
  | { readonly kind: 'welcome'; readonly room: string; readonly name: string }
  /** Who was in the room when this person came (never empty). */
  | { readonly kind: 'present'; readonly names: readonly string[] }
  | { readonly kind: 'joined'; readonly name: string }
  | { readonly kind: 'left'; readonly name: string }
  /** `name` hosts the room now; null: this person does. */
  | { readonly kind: 'host'; readonly name: string | null }
  /** `name`'s keys changed since this browser last saw them. */
  | { readonly kind: 'key-changed'; readonly name: string }
  /**
   * A message claiming to be from `name` was not shown: its signature failed (`forged`), it did not open
   * (`unreadable`), or it did not open at a host, which passed nothing on (`refused`).
   */
  | { readonly kind: 'forged' | 'unreadable' | 'refused'; readonly name: string };
