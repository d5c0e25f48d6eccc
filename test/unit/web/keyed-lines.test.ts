import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyedLines, type LineDrawing } from '../../../web/src/components/keyed-lines.ts';

/**
 * Just enough of the DOM for KeyedLines: elements with children, `append`, `before`, `remove` and the element
 * navigation it reads. Each element remembers what was drawn into it.
 */
class FakeElement {
  parentElement: FakeElement | null = null;
  readonly children: FakeElement[] = [];
  className = '';
  readonly attributes = new Map<string, string>();
  drawn: Item | null = null;

  get firstElementChild(): FakeElement | null {
    return this.children[0] ?? null;
  }
  get lastElementChild(): FakeElement | null {
    return this.children.at(-1) ?? null;
  }
  get childElementCount(): number {
    return this.children.length;
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  append(child: FakeElement): void {
    child.remove();
    child.parentElement = this;
    this.children.push(child);
  }
  before(node: FakeElement): void {
    const parent = this.parentElement;
    if (!parent) throw new Error('before() on an element without a parent');
    node.remove();
    node.parentElement = parent;
    parent.children.splice(parent.children.indexOf(this), 0, node);
  }
  remove(): void {
    const parent = this.parentElement;
    if (!parent) return;
    parent.children.splice(parent.children.indexOf(this), 1);
    this.parentElement = null;
  }
  /** The lines, in order, across blocks. */
  lines(): FakeElement[] {
    return this.children.flatMap((block) => block.children);
  }
}

/** A line: its key, and a version that changes when the line does (as a message's status does). */
interface Item {
  readonly key: string;
  readonly version: number;
}

class Drawing implements LineDrawing<Item> {
  draws = 0;
  same(a: Item, b: Item): boolean {
    return a.key === b.key;
  }
  key(item: Item): string {
    return item.key;
  }
  draw(item: Item, into: HTMLElement): void {
    this.draws += 1;
    (into as unknown as FakeElement).drawn = item;
  }
}

const realDocument = globalThis.document;
beforeAll(() => {
  globalThis.document = { createElement: () => new FakeElement() } as unknown as Document;
});
afterAll(() => {
  globalThis.document = realDocument;
});

function setUp(): { list: FakeElement; drawing: Drawing; lines: KeyedLines<Item> } {
  const list = new FakeElement();
  const drawing = new Drawing();
  return { list, drawing, lines: new KeyedLines(list as unknown as HTMLElement, drawing) };
}

const items = (...keys: string[]): Item[] => keys.map((key) => ({ key, version: 0 }));

describe('KeyedLines', () => {
  it('draws a line once: appending one line to many draws only it and keeps every other element', () => {
    const { list, drawing, lines } = setUp();
    const many = items(...Array.from({ length: 1000 }, (_, i) => `m${i}`));
    lines.update(many);
    const before = list.lines();
    drawing.draws = 0;
    lines.update([...many.slice(1), { key: 'new', version: 0 }]);
    expect(drawing.draws).toBe(1);
    const after = list.lines();
    expect(after.slice(0, -1)).toEqual(before.slice(1));
    expect(after.slice(0, -1).every((element, i) => element === before[i + 1])).toBe(true);
    expect(after.at(-1)?.drawn?.key).toBe('new');
  });

  it('redraws only a line whose item changed', () => {
    const { drawing, lines } = setUp();
    const start = items('a', 'b', 'c');
    lines.update(start);
    drawing.draws = 0;
    lines.update([start[0]!, { key: 'b', version: 1 }, start[2]!]);
    expect(drawing.draws).toBe(1);
  });

  it('keeps lines in blocks of at most 50, and drops emptied blocks', () => {
    const { list, lines } = setUp();
    const all = items(...Array.from({ length: 120 }, (_, i) => `k${i}`));
    lines.update(all);
    expect(list.children.map((block) => block.children.length)).toEqual([50, 50, 20]);
    expect(list.children.every((block) => block.attributes.get('role') === 'none')).toBe(true);
    lines.update(all.slice(60));
    expect(list.children.map((block) => block.children.length)).toEqual([40, 20]);
  });

  it('follows any sequence of appends, inserts, drops from the front and changes, drawing only new and changed lines', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 60 }) }),
      fc.record({ kind: fc.constant('insert' as const), fromEnd: fc.nat(8) }),
      fc.record({ kind: fc.constant('drop' as const), count: fc.integer({ min: 1, max: 70 }) }),
      fc.record({ kind: fc.constant('change' as const), fromEnd: fc.nat(8) }),
      fc.record({ kind: fc.constant('replace' as const), count: fc.nat(5) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 30 }), (operations) => {
        const { list, drawing, lines } = setUp();
        let current: Item[] = [];
        let next = 0;
        const fresh = (): Item => ({ key: `i${next++}`, version: 0 });
        for (const op of operations) {
          const previous = current;
          const elements = new Map(list.lines().map((element) => [element.drawn?.key, element]));
          let expectedDraws: number;
          if (op.kind === 'append') {
            current = [...current, ...Array.from({ length: op.count }, fresh)];
            expectedDraws = op.count;
          } else if (op.kind === 'insert') {
            const at = Math.max(0, current.length - op.fromEnd);
            current = [...current.slice(0, at), fresh(), ...current.slice(at)];
            expectedDraws = 1;
          } else if (op.kind === 'drop') {
            current = current.slice(op.count);
            expectedDraws = 0;
          } else if (op.kind === 'change') {
            const at = current.length - 1 - op.fromEnd;
            const item = current[at];
            if (item) current = current.map((line, i) => (i === at ? { ...item, version: item.version + 1 } : line));
            expectedDraws = item ? 1 : 0;
          } else {
            // A whole new log (another room): nothing in common.
            current = Array.from({ length: op.count }, fresh);
            expectedDraws = op.count;
          }
          drawing.draws = 0;
          lines.update(current);
          const shown = list.lines();
          expect(shown.map((element) => element.drawn)).toEqual(current);
          expect(drawing.draws).toBe(expectedDraws);
          // Lines that stayed kept their elements.
          for (const element of shown) {
            const key = element.drawn?.key;
            if (previous.some((item) => item.key === key)) expect(element).toBe(elements.get(key));
          }
          expect(list.children.every((block) => block.children.length > 0)).toBe(true);
        }
      }),
    );
  });
});
