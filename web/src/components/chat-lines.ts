import { msg } from '@lit/localize';
import { html, render } from 'lit';
import { entryKey, shownTime, type ChatEntry, type TimelineEntry } from '../../../shared/timeline.ts';
import type { TransferView } from '../net/files/transfer-view.ts';
import type { LineDrawing } from './keyed-lines.ts';
import { systemNoteText } from './system-note-text.ts';
import { textSegments } from './text-links.ts';

/** What an own line's delivery status says, in the language shown when the line is drawn. */
const statusLabels = {
  pending: () => msg('sending…', { id: 'line.pending' }),
  delivered: () => msg('delivered', { id: 'line.delivered' }),
  failed: () => msg('not delivered', { id: 'line.failed' }),
} as const;

/**
 * How the log draws its lines (see KeyedLines): a chat line (sender, time, text or file card) or a system line, as
 * the list item it is given. Text is bound as text, never as HTML. A line is drawn when it is new and again only when
 * its entry or its file's transfer changed, so the time is formatted once per line, not once per line per change.
 */
export class ChatLines implements LineDrawing<TimelineEntry> {
  /** Hours and minutes in the reader's locale; made once. */
  readonly #clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  /** File transfers this tab takes part in, by transfer id. */
  #files: ReadonlyMap<string, TransferView> = new Map();
  /** The file lines drawn, by transfer id: each with its entry, its element and the view of the transfer it shows. */
  readonly #fileLines = new Map<string, { entry: ChatEntry; element: HTMLElement; view: TransferView | undefined }>();
  /** Told when a file line is drawn (the file card loads on first need). */
  readonly #fileShown: () => void;

  constructor(fileShown: () => void) {
    this.#fileShown = fileShown;
  }

  /**
   * The transfers changed (a session hands out fresh copies of them on every change): redraws the file lines whose
   * transfer shows something new, and forgets the lines no longer in the log.
   */
  setFiles(files: ReadonlyMap<string, TransferView>): void {
    this.#files = files;
    for (const [transfer, line] of this.#fileLines) {
      if (!line.element.isConnected) this.#fileLines.delete(transfer);
      else if (!sameView(line.view, files.get(transfer))) this.draw(line.entry, line.element);
    }
  }

  same(a: TimelineEntry, b: TimelineEntry): boolean {
    // A line keeps its message object when only its status changes (Timeline.setStatus).
    return a === b || (a.kind === 'chat' && b.kind === 'chat' && a.message === b.message);
  }

  key(entry: TimelineEntry): string {
    // Author and id: ids are unique per author only.
    return entryKey(entry);
  }

  draw(entry: TimelineEntry, into: HTMLElement): void {
    if (entry.kind === 'system') {
      into.className = 'system';
      into.textContent = systemNoteText(entry.note);
      return;
    }
    const { message, direct } = entry;
    into.className = `chat${entry.own ? ' own' : ''}${direct ? ' private' : ''}`;
    into.dataset['fromName'] = message.name;
    into.dataset['private'] = direct ? 'true' : 'false';
    const time = this.#timeOf(entry);
    // A private line says who it is between, in words (not only by colour): "Ann → you (private)", "you → Bob (private)".
    const you = msg('you', { id: 'people.you' });
    const sender = direct ? `${entry.own ? you : message.name} → ${entry.own ? direct.toName : you}` : message.name;
    // As opened here: an open room's file, or a sealed one's description (a private room's, or one for this person).
    const file = entry.file?.description ?? message.body.file;
    const view = file && this.#files.get(file.transfer);
    if (file) {
      this.#fileLines.set(file.transfer, { entry, element: into, view });
      this.#fileShown();
    }
    render(
      html`<div class="meta">
          <span class="name" dir="auto">${sender}</span>
          ${direct ? html`<span class="private-tag">${msg('(private)', { id: 'line.private' })}</span>` : null}
          <time datetime=${time.iso}>${time.text}</time>
          ${entry.own ? html`<span class="status ${entry.status}">${statusLabels[entry.status]()}</span>` : null}
        </div>
        ${file
          ? // The card's own element loads with the first file; until then the line shows the file's name.
            html`<file-card .file=${file} .view=${view}><span class="file-name">${file.name}</span></file-card>`
          : html`<div class="text" dir="auto">${textWithLinks(entry.text)}</div>`}`,
      into,
    );
  }

  /**
   * The `datetime` and the text of a line's time. A time the parsers let through is always a valid Date; this still
   * never throws, because one line that cannot be drawn must not stop the whole log from drawing.
   */
  #timeOf(entry: ChatEntry): { iso: string; text: string } {
    const time = new Date(shownTime(entry));
    if (Number.isNaN(time.getTime())) return { iso: '', text: '' };
    return { iso: time.toISOString(), text: this.#clock.format(time) };
  }
}

/**
 * A message's text with its http(s) addresses as links that open in a new tab and tell the site nothing of ChatUs
 * (`noopener noreferrer`); everything else bound as text.
 */
function textWithLinks(text: string) {
  return textSegments(text).map((segment) =>
    segment.kind === 'text' ? segment.text : html`<a href=${segment.href} target="_blank" rel="noopener noreferrer">${segment.text}</a>`,
  );
}

/** Whether two views of a transfer show the same. */
function sameView(a: TransferView | undefined, b: TransferView | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return (Object.keys(a) as (keyof TransferView)[]).every((field) => a[field] === b[field]);
}
