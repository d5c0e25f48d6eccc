import { localized, LOCALE_STATUS_EVENT, msg } from '@lit/localize';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { entryKey, type ChatEntry, type TimelineEntry } from '../../../shared/timeline.ts';
import { Lazy } from '../app/lazy.ts';
import { isOthersChat, NewLines, TitleCount, UnreadCounter } from '../controllers/unread-title.ts';
import type { TransferView } from '../net/files/transfer-view.ts';
import { ChatLines } from './chat-lines.ts';
import { KeyedLines } from './keyed-lines.ts';
import { burstSummary, jumpLabel, typingText } from './notice-text.ts';
import { focusRing } from './focus-ring.ts';

/** How long lines gather before the screen reader hears of them, in one sentence (one announcement a second at most). */
const ANNOUNCE_AFTER_MS = 1000;

/**
 * The message list: chat lines (sender, time, text) and system lines, newest at the bottom; private messages are
 * marked in words and set apart. Text is bound as text, never as HTML. It follows the newest line unless the person scrolled up to read.
 *
 * Nothing is missed: while the person is away (the page hidden, or the log scrolled up) the lines others write are
 * counted in the tab's title and on "Jump to latest", and a "New messages" marker goes before the first of them. A
 * screen reader hears new lines through one polite live region, a sentence a second at most ("Ann: hi", "4 new
 * messages from Ann and Bo"), not line by line: the log itself is `aria-live="off"`. Under the lines, who is typing.
 */
@customElement('chat-log')
@localized()
export class ChatLog extends LitElement {
  static override styles = [
    focusRing,
    css`
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
    .new-marker { display: flex; align-items: center; gap: 0.5rem; margin: 0.6rem 0 0.2rem; color: var(--accent-text); font-size: 0.8rem;
      font-weight: 600; }
    .new-marker::before, .new-marker::after { content: ''; flex: 1; border-top: 1px solid currentColor; }
    .footer { position: sticky; bottom: 0; display: flex; align-items: flex-end; gap: 0.5rem; pointer-events: none; }
    .typing { flex: 1; margin: 0; padding: 0.15rem 0; color: var(--muted); font-size: 0.85rem; font-style: italic; background: var(--surface); }
    .jump { margin-left: auto; padding: 0.4rem 0.9rem; font: inherit; font-size: 0.85rem; font-weight: 600; color: var(--on-accent);
      background: var(--accent); border: 0; border-radius: 999px; cursor: pointer; pointer-events: auto; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  `,
  ];

  /** The timeline to show. */
  @property({ attribute: false }) entries: readonly TimelineEntry[] = [];
  /** File transfers this tab takes part in, by transfer id. */
  @property({ attribute: false }) files: ReadonlyMap<string, TransferView> = new Map();
  /** The names of the others typing now. */
  @property({ attribute: false }) typing: readonly string[] = [];

  #stickToBottom = true;
  /** The person scrolled up from the newest line: "Jump to latest" shows. */
  @state() private scrolledUp = false;
  /** What the live region says now. */
  @state() private announcement = '';
  readonly #unread = new UnreadCounter();
  readonly #title = new TitleCount();
  /** Lines from others not announced yet, and the timer that will. */
  readonly #fresh = new NewLines();
  #toAnnounce: ChatEntry[] = [];
  #announceTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #onScroll = (): void => {
    this.#stickToBottom = this.scrollHeight - this.scrollTop - this.clientHeight < 40;
    if (this.scrolledUp === !this.#stickToBottom) return;
    this.scrolledUp = !this.#stickToBottom;
    this.#countUnread();
  };
  /** The "New messages" marker, put in the first line that came while the person was away. */
  readonly #marker = newMarker();
  readonly #onVisibility = () => this.#countUnread();
  /** The file card's code, loaded when the first file line is drawn (most rooms never send a file). */
  readonly #fileCard = new Lazy(() => import('./file-card.ts'));
  readonly #drawing = new ChatLines(() => void this.#fileCard.get().catch(() => undefined));
  /** The lines, kept in step with `entries` once the list is rendered. */
  #lines: KeyedLines<TimelineEntry> | null = null;
  /** A line is drawn once: when the page's language changes, they are all drawn again. */
  #languageChanged = false;
  readonly #onLanguage = (event: WindowEventMap[typeof LOCALE_STATUS_EVENT]): void => {
    if (event.detail.status !== 'ready') return;
    this.#languageChanged = true;
    this.requestUpdate();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'log');
    this.setAttribute('aria-label', logLabel());
    this.tabIndex = 0;
    // Each line is announced through the live region below, in bursts; a log that announced itself would read every line.
    this.setAttribute('aria-live', 'off');
    this.addEventListener('scroll', this.#onScroll);
    document.addEventListener('visibilitychange', this.#onVisibility);
    window.addEventListener(LOCALE_STATUS_EVENT, this.#onLanguage);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('scroll', this.#onScroll);
    document.removeEventListener('visibilitychange', this.#onVisibility);
    window.removeEventListener(LOCALE_STATUS_EVENT, this.#onLanguage);
    clearTimeout(this.#announceTimer);
    this.#announceTimer = undefined;
    this.#title.clear();
  }

  /**
   * Scrolls to the newest line; the count goes back to 0 as the person is back. The button goes with it, so the focus
   * goes to the log, where the keyboard scrolls on.
   */
  jumpToLatest(): void {
    this.scrollTop = this.scrollHeight;
    this.#stickToBottom = true;
    this.scrolledUp = false;
    this.#countUnread();
    this.focus();
  }

  /** The list itself is drawn line by line (see KeyedLines), not by this template: a change draws only what changed. */
  override render() {
    const empty = this.entries.length === 0;
    const typing = typingText(this.typing);
    return html`${empty ? html`<p class="empty">${msg('No messages yet. Say hello!', { id: 'log.empty' })}</p>` : null}<div role="list" ?hidden=${empty}></div>
      <div class="footer">
        ${typing ? html`<p class="typing">${typing}</p>` : null}
        ${this.scrolledUp ? html`<button type="button" class="jump" @click=${this.jumpToLatest}>${jumpLabel(this.#unread.count)}</button>` : null}
      </div>
      <div class="visually-hidden" aria-live="polite" id="announcer">${this.announcement}</div>`;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('entries')) return;
    const fresh = this.#fresh.take(this.entries);
    // One's own new line: the person wants to see it, wherever they were reading.
    if (fresh.some((entry) => entry.kind === 'chat' && entry.own)) {
      this.#stickToBottom = true;
      this.scrolledUp = false;
    }
    this.#countUnread();
    this.#announce(fresh.filter(isOthersChat));
  }

  /** Brings the unread count and the title up to date (the marker follows on the update); away: hidden, or scrolled up. */
  #countUnread(): void {
    const count = this.#unread.update(this.entries, document.visibilityState === 'hidden' || !this.#stickToBottom);
    this.#title.show(count);
    this.requestUpdate();
  }

  /** Gathers lines from others into the next announcement, made ANNOUNCE_AFTER_MS after the first of them. */
  #announce(lines: readonly ChatEntry[]): void {
    if (lines.length === 0) return;
    this.#toAnnounce.push(...lines);
    this.#announceTimer ??= setTimeout(() => {
      this.#announceTimer = undefined;
      this.announcement = burstSummary(this.#toAnnounce);
      this.#toAnnounce = [];
    }, ANNOUNCE_AFTER_MS);
  }

  /** Puts the marker at the start of the line the counter names, or takes it away. */
  #placeMarker(): void {
    const key = this.#unread.marker;
    // Searched from the newest line: the marker is nearly always near it.
    let at = key === null ? -1 : this.entries.length - 1;
    while (at >= 0 && entryKey(this.entries[at]!) !== key) at -= 1;
    const line = at === -1 ? undefined : this.#lines?.element(at);
    if (!line) this.#marker.remove();
    else if (line.firstElementChild !== this.#marker) line.prepend(this.#marker);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.#lines) {
      const list = this.renderRoot.querySelector<HTMLElement>('[role="list"]');
      if (!list) return;
      this.#lines = new KeyedLines(list, this.#drawing);
    }
    if (changed.has('files')) this.#drawing.setFiles(this.files);
    if (changed.has('entries')) this.#lines.update(this.entries);
    if (this.#languageChanged) {
      this.#languageChanged = false;
      this.#lines.redraw();
      this.#marker.textContent = newMarkerText();
      this.setAttribute('aria-label', logLabel());
    }
    this.#placeMarker();
    if (changed.has('entries') && this.#stickToBottom) this.scrollTop = this.scrollHeight;
  }
}

/** The "New messages" line, in words (not only a colour) for every reader. */
function newMarker(): HTMLElement {
  const marker = document.createElement('p');
  marker.className = 'new-marker';
  marker.textContent = newMarkerText();
  return marker;
}

const newMarkerText = (): string => msg('New messages', { id: 'log.new-messages' });

const logLabel = (): string => msg('Conversation', { id: 'log.label' });

declare global {
  interface HTMLElementTagNameMap {
    'chat-log': ChatLog;
  }
}
