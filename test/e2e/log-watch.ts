import type { Page } from 'playwright-core';

/** What the log's DOM and its drawing did while watched. */
export interface LogChanges {
  /** The texts of the lines added to the log (chat lines by their text, system lines by theirs). */
  readonly added: string[];
  /** How many lines left the log. */
  readonly removed: number;
  /** Changes to text or attributes, each as the text of the line it happened in. */
  readonly changedIn: string[];
  /** How many times a line's time was written out (`Date.prototype.toISOString`): once per line drawn. */
  readonly timesDrawn: number;
}

interface Watch {
  changes: { added: string[]; removed: number; changedIn: string[] };
  observer: MutationObserver;
  record(records: MutationRecord[]): void;
}

/**
 * The message log of a ChatUs page in Chromium, watched from inside the page: which lines a change added, removed or
 * altered (a MutationObserver on the log's shadow root), and how many lines were drawn (each drawing writes the
 * line's time once). Counts, not timings: a log whose work grows with its length shows it here as lines touched.
 */
export class LogWatch {
  constructor(readonly page: Page) {}

  /** Sends `count` messages `prefix N` at once through the message box (as pressing Enter would). */
  async writeLines(prefix: string, count: number): Promise<void> {
    await this.page.evaluate(
      ([text, n]) => {
        const room = document.querySelector('chat-app')?.shadowRoot?.querySelector('room-view')?.shadowRoot;
        const composer = room?.querySelector('message-composer')?.shadowRoot;
        const input = composer?.querySelector('input');
        const form = composer?.querySelector('form');
        if (!input || !form) throw new Error('no message box');
        for (let i = 0; i < n; i++) {
          input.value = `${text} ${i}`;
          form.requestSubmit();
        }
      },
      [prefix, count] as const,
    );
  }

  /** Starts recording what happens to the log from now on (forgetting what was recorded before). */
  async start(): Promise<void> {
    await this.page.evaluate(() => {
      const scope = window as unknown as { logWatch?: Watch; isoCalls?: number };
      scope.logWatch?.observer.disconnect();
      if (scope.isoCalls === undefined) {
        const iso = Date.prototype.toISOString;
        scope.isoCalls = 0;
        Date.prototype.toISOString = function (this: Date) {
          scope.isoCalls = (scope.isoCalls ?? 0) + 1;
          return iso.call(this);
        };
      }
      const root = document.querySelector('chat-app')?.shadowRoot?.querySelector('room-view')?.shadowRoot?.querySelector('chat-log')?.shadowRoot;
      if (!root) throw new Error('no log');
      const lineOf = (node: Node | null): Element | null => (node instanceof Element ? node : node?.parentElement ?? null)?.closest('[role=listitem]') ?? null;
      const textOf = (line: Element | null): string => line?.querySelector('.text')?.textContent ?? line?.textContent ?? '';
      const changes = { added: [] as string[], removed: 0, changedIn: [] as string[], timesDrawn: 0 };
      scope.isoCalls = 0;
      const seen = new Set<Element>();
      const record = (records: MutationRecord[]): void => {
        for (const record of records) {
          if (record.type !== 'childList') {
            changes.changedIn.push(textOf(lineOf(record.target)));
            continue;
          }
          // A line, or a block of lines (the log keeps its lines in blocks): every line it holds counts.
          const linesIn = (node: Node): Element[] =>
            node instanceof Element ? (node.matches('[role=listitem]') ? [node] : [...node.querySelectorAll('[role=listitem]')]) : [];
          const added = [...record.addedNodes].flatMap(linesIn);
          const removed = [...record.removedNodes].flatMap(linesIn);
          // A line added inside a block that was added too is one line: count each once.
          for (const line of added) if (!seen.has(line)) seen.add(line) && changes.added.push(textOf(line));
          changes.removed += removed.length;
          // Nodes added or removed inside a line that stays (its status, say) change that line.
          if (added.length + removed.length === 0 && lineOf(record.target)) changes.changedIn.push(textOf(lineOf(record.target)));
        }
      };
      const observer = new MutationObserver(record);
      observer.observe(root, { childList: true, subtree: true, characterData: true, attributes: true });
      scope.logWatch = { changes, observer, record };
    });
  }

  /** What was recorded since {@link start}, once the page has drawn everything pending. */
  async changes(): Promise<LogChanges> {
    return this.page.evaluate(async () => {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const scope = window as unknown as { logWatch?: Watch; isoCalls?: number };
      if (!scope.logWatch) throw new Error('not watching');
      scope.logWatch.record(scope.logWatch.observer.takeRecords());
      return { ...scope.logWatch.changes, timesDrawn: scope.isoCalls ?? 0 };
    });
  }
}
