import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { messageKey } from '../../../shared/protocol/envelope.ts';
import { shownTime, type ChatEntry, type TimelineEntry } from '../../../shared/timeline.ts';
import type { TransferView } from '../net/files/transfer-view.ts';
import './file-card.ts';

const statusLabels = { pending: 'sending…', delivered: 'delivered', failed: 'not delivered' } as const;

/** Hours and minutes in the reader's locale; made once, not per line per render. */
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * The `datetime` and the text of a line's time. A time the parsers let through is always a valid Date; this still
 * never throws, because one line that cannot be drawn must not stop the whole log from drawing.
 */
function timeOf(entry: ChatEntry): { iso: string; text: string } {
  const time = new Date(shownTime(entry));
  if (Number.isNaN(time.getTime())) return { iso: '', text: '' };
  return { iso: time.toISOString(), text: clockFormat.format(time) };
}

/**
 * The message list: chat lines (sender, time, text) and system lines, newest at the bottom; private messages are
 * marked in words and set apart. Text is bound as text, never as HTML. It follows the newest line unless the person scrolled up to read.
 */
@customElement('chat-log')
export class ChatLog extends LitElement {
  static override styles = css`
    :host { display: block; overflow-y: auto; padding: 0.75rem 1rem; background: #fff; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { margin: 0.35rem 0; line-height: 1.4; overflow-wrap: anywhere; }
    li.system { color: #6b7385; font-size: 0.88rem; text-align: center; }
    .meta { display: flex; gap: 0.5rem; align-items: baseline; }
    .name { font-weight: 600; }
    .own .name { color: #3563e9; }
    time, .status { color: #8a91a0; font-size: 0.78rem; }
    .status.failed { color: #b3261e; font-weight: 600; }
    .text { white-space: pre-wrap; }
    li.private { padding: 0.3rem 0.5rem; border-left: 3px solid #7a3fd1; background: #f5f0fc; border-radius: 4px; }
    .private-tag { color: #5b2a9e; font-size: 0.78rem; font-weight: 600; }
    .empty { color: #8a91a0; text-align: center; margin-top: 2rem; }
  `;

  /** The timeline to show. */
  @property({ attribute: false }) entries: readonly TimelineEntry[] = [];
  /** File transfers this tab takes part in, by transfer id. */
  @property({ attribute: false }) files: ReadonlyMap<string, TransferView> = new Map();

  #stickToBottom = true;

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

  override render() {
    if (this.entries.length === 0) return html`<p class="empty">No messages yet. Say hello!</p>`;
    return html`<ul>
      ${repeat(
        this.entries,
        // Keyed by author and id: ids are unique per author only, and Lit's repeat needs unique keys.
        (entry) => (entry.kind === 'chat' ? messageKey(entry.message) : `system/${entry.id}`),
        (entry) => (entry.kind === 'chat' ? this.#chatLine(entry) : html`<li class="system">${entry.text}</li>`),
      )}
    </ul>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('entries') && this.#stickToBottom) this.scrollTop = this.scrollHeight;
  }

  #chatLine(entry: ChatEntry) {
    const { message, direct } = entry;
    const time = timeOf(entry);
    const classes = `chat${entry.own ? ' own' : ''}${direct ? ' private' : ''}`;
    // A private line says who it is between, in words (not only by colour): "Ann → you (private)", "you → Bob (private)".
    const sender = direct ? `${entry.own ? 'you' : message.name} → ${entry.own ? direct.toName : 'you'}` : message.name;
    return html`<li class=${classes} data-from-name=${message.name} data-private=${direct ? 'true' : 'false'}>
      <div class="meta">
        <span class="name">${sender}</span>
        ${direct ? html`<span class="private-tag">(private)</span>` : null}
        <time datetime=${time.iso}>${time.text}</time>
        ${entry.own ? html`<span class="status ${entry.status}">${statusLabels[entry.status]}</span>` : null}
      </div>
      ${message.body.file
        ? html`<file-card .file=${message.body.file} .view=${this.files.get(message.body.file.transfer)}></file-card>`
        : html`<div class="text">${entry.text}</div>`}
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-log': ChatLog;
  }
}
