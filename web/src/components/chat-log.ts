import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { TimelineEntry } from '../../../shared/timeline.ts';
import { Lazy } from '../app/lazy.ts';
import type { TransferView } from '../net/files/transfer-view.ts';
import { ChatLines } from './chat-lines.ts';
import { KeyedLines } from './keyed-lines.ts';

/**
 * The message list: chat lines (sender, time, text) and system lines, newest at the bottom; private messages are
 * marked in words and set apart. Text is bound as text, never as HTML. It follows the newest line unless the person scrolled up to read.
 */
@customElement('chat-log')
export class ChatLog extends LitElement {
  static override styles = css`
    /* Sized by the room's layout, never by its lines: without size containment, every new line made the page measure
       all of them again (the grid asks its items how wide their content is), a cost that grew with the log. */
    :host { display: block; contain: strict; overflow-y: auto; padding: 0.75rem 1rem; background: var(--surface); }
    [role='list'] { margin: 0; padding: 0; }
    /* Blocks of lines off screen are neither laid out nor painted (see KeyedLines); they keep the size they had. */
    .block { content-visibility: auto; contain-intrinsic-size: auto 60rem; }
    .chat, .system { margin: 0.35rem 0; line-height: 1.4; overflow-wrap: anywhere; }
    .system { color: var(--muted); font-size: 0.88rem; text-align: center; }
    .meta { display: flex; gap: 0.5rem; align-items: baseline; }
    .name { font-weight: 600; }
    .own .name { color: var(--accent-text); }
    time, .status { color: var(--muted); font-size: 0.78rem; }
    .status.failed { color: var(--danger); font-weight: 600; }
    .text { white-space: pre-wrap; }
    .chat.private { padding: 0.3rem 0.5rem; border-left: 3px solid var(--private-line); background: var(--private-bg); border-radius: 4px; }
    .private-tag { color: var(--private-text); font-size: 0.78rem; font-weight: 600; }
    .empty { color: var(--muted); text-align: center; margin-top: 2rem; }
    file-card:not(:defined) { display: block; margin-top: 0.2rem; font-weight: 600; }
  `;

  /** The timeline to show. */
  @property({ attribute: false }) entries: readonly TimelineEntry[] = [];
  /** File transfers this tab takes part in, by transfer id. */
  @property({ attribute: false }) files: ReadonlyMap<string, TransferView> = new Map();

  #stickToBottom = true;
  /** The file card's code, loaded when the first file line is drawn (most rooms never send a file). */
  readonly #fileCard = new Lazy(() => import('./file-card.ts'));
  readonly #drawing = new ChatLines(() => void this.#fileCard.get().catch(() => undefined));
  /** The lines, kept in step with `entries` once the list is rendered. */
  #lines: KeyedLines<TimelineEntry> | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'log');
    this.setAttribute('aria-live', 'polite');
    this.setAttribute('aria-label', 'Conversation');
    this.tabIndex = 0;
    this.addEventListener('scroll', () => {
      this.#stickToBottom = this.scrollHeight - this.scrollTop - this.clientHeight < 40;
    });
  }

  /** The list itself is drawn line by line (see KeyedLines), not by this template: a change draws only what changed. */
  override render() {
    const empty = this.entries.length === 0;
    return html`${empty ? html`<p class="empty">No messages yet. Say hello!</p>` : null}<div role="list" ?hidden=${empty}></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.#lines) {
      const list = this.renderRoot.querySelector<HTMLElement>('[role="list"]');
      if (!list) return;
      this.#lines = new KeyedLines(list, this.#drawing);
    }
    if (changed.has('files')) this.#drawing.setFiles(this.files);
    if (!changed.has('entries')) return;
    this.#lines.update(this.entries);
    if (this.#stickToBottom) this.scrollTop = this.scrollHeight;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-log': ChatLog;
  }
}
