import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SafetyNumber } from '../../../shared/crypto/safety-number.ts';
import type { SessionSnapshot } from '../net/room-session.ts';
import type { FileHub } from '../net/files/file-hub.ts';
import { appEvent } from '../events.ts';
import { sessionErrorText } from '../app/session-error-text.ts';
import type { MessageComposer } from './message-composer.ts';
import './chat-log.ts';
import './invite-link.ts';
import './message-composer.ts';
import './own-key.ts';
import './people-list.ts';
import { focusRing } from './focus-ring.ts';
import './room-settings.ts';
import { defaultPreferences, type Preferences } from '../storage/preferences.ts';

/** What the room view does with files: send one, cancel one, resume one interrupted by a reload. */
export type FileActions = Pick<FileHub, 'sendFile' | 'cancel' | 'resume' | 'limit'>;

/**
 * The room: header with status and Leave, the messages, the People and the invite link, the message box. Files go to
 * the room by Attach file, by dropping them on the log, or by pasting them into the message box or the log.
 */
@customElement('room-view')
@localized()
export class RoomView extends LitElement {
  static override styles = [
    focusRing,
    css`
      /* The room fills the visible viewport: dvh follows the on-screen keyboard and the browser's bars, so the message
         box stays in sight while a phone types (vh first, for browsers without dvh). */
      :host { display: grid; height: 100vh; height: 100dvh; grid-template-rows: auto minmax(0, 1fr);
        grid-template-columns: minmax(0, 1fr) 17rem; grid-template-areas: 'header header' 'main side'; }
      header { grid-area: header; display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 1rem; padding: 0.6rem 1rem;
        background: var(--header); color: var(--on-accent); --focus: var(--header-focus); }
      .heading { flex: 1 1 12rem; min-width: 0; display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 1rem; }
      header h1 { margin: 0; font-size: 1.1rem; overflow-wrap: anywhere; }
      .status { font-size: 0.85rem; color: var(--header-muted); }
      .status.warn { color: var(--header-warn); }
      .actions { display: flex; gap: 0.5rem; margin-left: auto; }
      header button { padding: 0.4rem 0.9rem; font: inherit; color: var(--on-accent); background: transparent;
        border: 1px solid var(--strong-line); border-radius: 6px; cursor: pointer; }
      header button[aria-expanded='true'] { background: var(--accent); border-color: var(--accent); }
      .toggle { display: none; }
      main { grid-area: main; display: flex; flex-direction: column; min-height: 0; min-width: 0; }
      chat-log { flex: 1; min-height: 0; }
      chat-log:focus-visible { outline-offset: -3px; }
      aside { grid-area: side; display: flex; flex-direction: column; gap: 1.5rem; padding: 1rem; overflow-y: auto;
        background: var(--panel); border-left: 1px solid var(--line); }
      .people { display: flex; flex-direction: column; gap: 0.6rem; }
      .compose { display: flex; gap: 0.6rem; align-items: flex-start; padding: 0.75rem 1rem; background: var(--surface);
        border-top: 1px solid var(--line); }
      .compose message-composer { flex: 1; min-width: 0; }
      .attach { padding: 0.45rem 0.8rem; font: inherit; background: var(--panel); border: 1px solid var(--control-line); border-radius: 6px; cursor: pointer; }
      .attach-input { position: absolute; width: 1px; height: 1px; opacity: 0; overflow: hidden; }
      .file-error { margin: 0; padding: 0.2rem 1rem; color: var(--danger); font-size: 0.85rem; background: var(--surface); }
      chat-log.dragging { outline: 3px dashed var(--accent); outline-offset: -6px; }
      /* Phones: one column, the log and the message box across the whole width; People and Invite open one at a
         time from the header, above the log. */
      @media (max-width: 700px) {
        :host { grid-template-columns: minmax(0, 1fr); grid-template-rows: auto auto minmax(0, 1fr);
          grid-template-areas: 'header' 'side' 'main'; }
        header { padding: 0.5rem 0.75rem; }
        .toggle { display: inline-block; }
        aside { max-height: 45dvh; padding: 0.75rem; border-left: 0; border-bottom: 1px solid var(--line); }
        aside:not(.open), .panel:not(.open) { display: none; }
        .compose { gap: 0.4rem; padding: 0.5rem 0.75rem; }
        .attach { padding: 0.45rem 0.6rem; }
        /* Said to screen readers still (the button stays "Attach file"), just not shown. */
        .wide-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
      }
    `,
  ];

  @property({ attribute: false }) snapshot!: SessionSnapshot;
  /** The room's title (cleaned), or '' to call it by its id. */
  @property() roomTitle = '';
  /** The person's Settings (typing, notifications, sound). */
  @property({ attribute: false }) preferences: Preferences = defaultPreferences;
  /** The language shown, for the Language switch in Settings. */
  @property() language = 'en';
  @property() invite = '';
  /** A reason to show under the message box. */
  @property() error = '';
  /** What this browser could not keep of the person's keys for the next visit, or empty. */
  @property() notKept = '';
  /** This room's file transfers (send, cancel, the server's limit), or null outside a room. */
  @property({ attribute: false }) files: FileActions | null = null;
  /** Why the last file could not be sent, as a sentence. */
  @state() private fileError = '';
  @state() private dragging = false;
  /** Who the files picked through People: Send file go to (their peer id). */
  #fileTarget: string | undefined;
  /** On a phone, the side panel that is open (People or Invite), if any; wider screens show both always. */
  @state() private panel: SidePanel | null = null;
  /** The safety number with a member, by peer id. */
  @property({ attribute: false }) safetyNumberOf: (peerId: string) => SafetyNumber | null = () => null;

  override render() {
    const { snapshot } = this;
    const status = statusText(snapshot);
    const open = (panel: SidePanel) => (this.panel === panel ? 'open' : '');
    return html`
      <header>
        <div class="heading">
          <h1 dir="auto">${this.roomTitle || msg(str`Room ${snapshot.room}`, { id: 'room.untitled' })}</h1>
          <span class="status ${status.warn ? 'warn' : ''}" role="status">${status.text}</span>
        </div>
        <div class="actions" @keydown=${this.#closeOnEscape}>
          ${this.#toggle('people', msg(str`People (${snapshot.roster.members.length})`, { id: 'room.people' }))}
          ${this.#toggle('invite', msg('Invite', { id: 'room.invite' }))}
          <button type="button" class="leave" @click=${() => this.dispatchEvent(appEvent('room-leave-requested', undefined))}>
            ${msg('Leave', { id: 'room.leave' })}</button>
        </div>
      </header>
      <aside class=${this.panel ? 'open' : ''} aria-label=${msg('People and invite', { id: 'room.side' })} @keydown=${this.#closeOnEscape}>
        <section id="people-panel" class="people panel ${open('people')}">
          <people-list
            .roster=${snapshot.roster}
            selfId=${snapshot.selfId ?? ''}
            .keyStatus=${snapshot.keyStatus}
            .safetyNumberOf=${this.safetyNumberOf}
            @message-person=${this.#messagePerson}
            @send-file-to-person=${this.#pickForPerson}
          ></people-list>
          <own-key identity=${snapshot.identity} notKept=${this.notKept}></own-key>
        </section>
        <section id="invite-panel" class="panel ${open('invite')}">
          <invite-link href=${this.invite}></invite-link>
        </section>
        <room-settings .preferences=${this.preferences} language=${this.language}></room-settings>
      </aside>
      <main>
        <chat-log class=${this.dragging ? 'dragging' : ''} .entries=${snapshot.timeline} .files=${snapshot.files} .typing=${snapshot.typing}
          @file-cancel-requested=${this.#cancelFile} @file-resume-requested=${this.#resumeFile} @dragover=${this.#dragOver}
          @dragleave=${() => (this.dragging = false)} @drop=${this.#drop} @paste=${this.#paste}></chat-log>
        ${this.fileError ? html`<p class="file-error" role="alert">${this.fileError}</p>` : null}
        <div class="compose" @paste=${this.#paste}>
          <input class="attach-input" id="attach" type="file" multiple aria-label=${msg('Attach file', { id: 'room.attach-file' })} tabindex="-1" @change=${this.#picked} />
          <input class="attach-input" id="attach-direct" type="file" multiple aria-label=${msg('Files for one person', { id: 'room.files-for-one' })} tabindex="-1"
            @change=${this.#picked} />
          <button class="attach" type="button" @click=${this.#openPicker}>${msg(html`Attach<span class="wide-only"> file</span>`, { id: 'room.attach' })}</button>
          <message-composer ?enabled=${snapshot.phase === 'connected' || snapshot.phase === 'reconnecting'} error=${this.error}
            .people=${snapshot.roster.members} selfId=${snapshot.selfId ?? ''}>
          </message-composer>
        </div>
      </main>
    `;
  }

  /** A header button that shows or hides a side panel (on a phone; wider screens show both and hide these). */
  #toggle(panel: SidePanel, label: string) {
    const expanded = this.panel === panel;
    return html`<button type="button" class="toggle" aria-expanded=${expanded ? 'true' : 'false'} aria-controls="${panel}-panel"
      @click=${() => (this.panel = expanded ? null : panel)}>${label}</button>`;
  }

  /** Escape in an open side panel, or on the header's buttons, closes it and puts focus back on its button. */
  #closeOnEscape(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || this.panel === null) return;
    const button = this.renderRoot.querySelector<HTMLButtonElement>(`[aria-controls="${this.panel}-panel"]`);
    this.panel = null;
    button?.focus();
  }

  #openPicker(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#attach')?.click();
  }

  #picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    void this.#send([...(input.files ?? [])], input.id === 'attach-direct' ? this.#fileTarget : undefined);
    input.value = '';
  }

  /** People: Send file opens the file picker for files to that person alone. */
  #pickForPerson(event: CustomEvent<{ peerId: string }>): void {
    event.stopPropagation();
    this.#fileTarget = event.detail.peerId;
    this.renderRoot.querySelector<HTMLInputElement>('#attach-direct')?.click();
  }

  #dragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    this.dragging = true;
  }

  #drop(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    void this.#send([...(event.dataTransfer?.files ?? [])]);
  }

  /**
   * Pasting files into the message box or the log (a screenshot, an image copied in another app) sends them as
   * Attach file does. It reads the paste event's own data, which plain-http pages have too. Text pastes as text: a
   * paste that also carries text (rich text from an office app comes with a picture of itself) is left to the
   * browser, since whoever pasted it meant the words.
   */
  #paste(event: ClipboardEvent): void {
    const data = event.clipboardData;
    const files = [...(data?.files ?? [])];
    if (files.length === 0 || data?.getData('text/plain')) return;
    event.preventDefault();
    void this.#send(files);
  }

  /** Sends each file to the room, or to the member `to` alone; a refused one (too large, empty) is said in a sentence. */
  async #send(files: readonly File[], to?: string): Promise<void> {
    if (files.length === 0 || !this.files) return;
    this.fileError = '';
    for (const file of files) {
      const sent = await this.files.sendFile(file, file.name, to);
      if (!sent.ok) this.fileError = msg(str`${file.name} was not sent: ${sessionErrorText(sent.error)}.`, { id: 'room.file-not-sent' });
    }
  }

  #resumeFile(event: CustomEvent<{ transfer: string }>): void {
    event.stopPropagation();
    void this.files?.resume(event.detail.transfer);
  }

  #cancelFile(event: CustomEvent<{ transfer: string }>): void {
    event.stopPropagation();
    this.files?.cancel(event.detail.transfer);
  }

  /** People: Message puts `/msg NAME ` in the message box, ready for the text. */
  #messagePerson(event: CustomEvent<{ name: string }>): void {
    event.stopPropagation();
    this.renderRoot.querySelector<MessageComposer>('message-composer')?.prefill(`/msg ${event.detail.name} `);
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<MessageComposer>('message-composer')?.focus();
  }
}

/** The side panels a phone opens from the header. */
type SidePanel = 'people' | 'invite';

function statusText(snapshot: SessionSnapshot): { text: string; warn: boolean } {
  if (snapshot.phase === 'reconnecting') return { text: msg('reconnecting to the server…', { id: 'room.status.reconnecting' }), warn: true };
  if (snapshot.phase === 'connecting') return { text: msg('connecting', { id: 'room.status.connecting' }), warn: true };
  if (snapshot.phase === 'left') return { text: msg('left', { id: 'room.status.left' }), warn: true };
  if (snapshot.phase === 'failed') return { text: msg('failed', { id: 'room.status.failed' }), warn: true };
  if (snapshot.role === 'host') return { text: msg('connected · you host this room', { id: 'room.status.host' }), warn: false };
  return snapshot.linkedToHost
    ? { text: msg('connected', { id: 'room.status.connected' }), warn: false }
    : { text: msg('connecting to the host…', { id: 'room.status.to-host' }), warn: true };
}

declare global {
  interface HTMLElementTagNameMap {
    'room-view': RoomView;
  }
}
