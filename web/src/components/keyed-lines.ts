/** How a {@link KeyedLines} recognises and draws its items. */
export interface LineDrawing<T> {
  /** Whether `a` and `b` are the same line, perhaps changed: the element drawn for `a` is kept for `b`. */
  same(a: T, b: T): boolean;
  /** A key unique among the items, equal exactly when {@link same} says so (asked only where lines were inserted). */
  key(item: T): string;
  /** Draws `item` into its element: a new one, or the one drawn before for an item it is the same line as. */
  draw(item: T, into: HTMLElement): void;
}

/** Lines per block: small enough that a block's layout is cheap, large enough that a full log has few blocks. */
const BLOCK_LINES = 50;

/**
 * The lines of a list (`role="listitem"` elements) kept in step with an array of items, for a log that grows at its
 * end and drops lines at its start. Each update draws only the lines that are new or changed and moves no element
 * that kept its place; finding them costs one comparison of references per line kept (a microsecond or two for a
 * thousand). Lines inserted between others (a re-sent message placed before a later one) are matched by key from the
 * first difference on.
 *
 * The lines sit in blocks of {@link BLOCK_LINES} (`role="none"`, so the list still holds its items), which the page
 * lays out and paints only near the screen (`content-visibility: auto` in the list's style): a new line then costs
 * the browser the same in a log of ten lines as in one of a thousand, where one flat list made it lay out and paint
 * every line again.
 */
export class KeyedLines<T> {
  readonly #list: HTMLElement;
  readonly #drawing: LineDrawing<T>;
  #items: readonly T[] = [];
  #elements: HTMLElement[] = [];

  constructor(list: HTMLElement, drawing: LineDrawing<T>) {
    this.#list = list;
    this.#drawing = drawing;
  }

  /** Makes the list show `next`, in its order. */
  update(next: readonly T[]): void {
    const drawing = this.#drawing;
    const old = this.#items;
    const elements = this.#elements;
    // Lines gone from the front (a log at its cap drops its oldest): everything before the line `next` starts with.
    const first = next[0];
    let dropped = first === undefined ? old.length : old.findIndex((item) => drawing.same(item, first));
    if (dropped === -1) dropped = 0;
    for (let i = 0; i < dropped; i++) removeLine(elements[i]);
    // Lines that kept their place: redrawn only when their item changed (a message's delivery status).
    let i = dropped;
    let j = 0;
    for (; i < old.length && j < next.length && drawing.same(old[i] as T, next[j] as T); i++, j++) {
      if (old[i] !== next[j]) drawing.draw(next[j] as T, elements[i] as HTMLElement);
    }
    const kept = elements.slice(dropped, i);
    this.#elements = i === old.length && j === next.length ? kept : kept.concat(this.#rest(old, elements, i, next, j));
    this.#items = next;
  }

  /** Draws every line again (the page's language changed). */
  redraw(): void {
    this.#items.forEach((item, index) => this.#drawing.draw(item, this.#elements[index] as HTMLElement));
  }

  /** The element of the item at `index` of the items last given to {@link update}. */
  element(index: number): HTMLElement | undefined {
    return this.#elements[index];
  }

  /** From the first difference on: elements of lines still here are kept (by key), new lines drawn, the rest removed. */
  #rest(old: readonly T[], elements: readonly HTMLElement[], from: number, next: readonly T[], to: number): HTMLElement[] {
    const drawing = this.#drawing;
    const spare = new Map<string, number>();
    for (let i = from; i < old.length; i++) spare.set(drawing.key(old[i] as T), i);
    // Each line goes before the first old element not yet placed, so elements that kept their order do not move.
    const placed = new Set<number>();
    let cursor = from;
    const lines: HTMLElement[] = [];
    for (let j = to; j < next.length; j++) {
      const item = next[j] as T;
      const key = drawing.key(item);
      const at = spare.get(key);
      while (cursor < old.length && placed.has(cursor)) cursor++;
      let element: HTMLElement;
      if (at === undefined) {
        element = document.createElement('div');
        element.setAttribute('role', 'listitem');
        drawing.draw(item, element);
      } else {
        spare.delete(key);
        placed.add(at);
        element = elements[at] as HTMLElement;
        if (old[at] !== item) drawing.draw(item, element);
      }
      if (at !== undefined && at === cursor) cursor++;
      else this.#place(element, elements[cursor]);
      lines.push(element);
    }
    for (const at of spare.values()) removeLine(elements[at]);
    return lines;
  }

  /** Puts a line before `before`, in its block; at the end without one, in the last block or a new one when it is full. */
  #place(line: HTMLElement, before: HTMLElement | undefined): void {
    const from = line.parentElement;
    if (before) before.before(line);
    else {
      const last = this.#list.lastElementChild;
      if (last && last.childElementCount < BLOCK_LINES) last.append(line);
      else {
        const block = document.createElement('div');
        block.className = 'block';
        block.setAttribute('role', 'none');
        block.append(line);
        this.#list.append(block);
      }
    }
    if (from && from !== line.parentElement && !from.firstElementChild) from.remove();
  }
}

/** Removes a line, and its block when that was the block's last line. */
function removeLine(line: HTMLElement | undefined): void {
  const block = line?.parentElement;
  line?.remove();
  if (block && !block.firstElementChild) block.remove();
}
