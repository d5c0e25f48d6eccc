import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SafetyNumber } from '../../../shared/crypto/safety-number.ts';
import type { SessionSnapshot } from '../net/room-session.ts';
import type { FileHub } from '../net/files/file-hub.ts';
import { appEvent } from '../events.ts';
import type { MessageComposer } from './message-composer.ts';
import './chat-log.ts';
import './invite-link.ts';
import './message-composer.ts';
import './own-key.ts';
import './people-list.ts';
import './room-settings.ts';
import { defaultPreferences, type Preferences } from '../storage/preferences.ts';

/** What the room view does with files: send one, cancel one. */
export type FileActions = Pick<FileHub, 'sendFile' | 'cancel' | 'limit'>;

/**
 * The room: header with status and Leave, the messages, the People and the invite link, the message box. Files go to
 * the room by Attach file, by dropping them on the log, or by pasting them into the message box or the log.
 */
@customElement('room-view')
export class RoomView extends LitElement {
  static override styles = css`
    :host { display: grid; height: 100vh; grid-template-rows: auto 1fr auto; grid-template-columns: 1fr 17rem;
      grid-template-areas: 'header header' 'log side' 'composer side'; }
    header { grid-area: header; display: flex; align-items: center; gap: 1rem; padding: 0.6rem 1rem; background: var(--header);
      color: var(--on-accent); }
    header h1 { margin: 0; font-size: 1.1rem; overflow-wrap: anywhere; }
    .status { font-size: 0.85rem; color: var(--header-muted); }
    .status.warn { color: var(--header-warn); }
    header button { margin-left: auto; padding: 0.4rem 0.9rem; font: inherit; color: var(--on-accent); background: transparent;
      border: 1px solid var(--strong-line); border-radius: 6px; cursor: pointer; }
    chat-log { grid-area: log; min-height: 0; }
    aside { grid-area: side; display: flex; flex-direction: column; gap: 1.5rem; padding: 1rem; overflow-y: auto;
      background: var(--panel); border-left: 1px solid var(--line); }
    .people { display: flex; flex-direction: column; gap: 0.6rem; }
    .compose { grid-area: composer; display: flex; gap: 0.6rem; align-items: flex-start; padding: 0.75rem 1rem; background: var(--surface);
      border-top: 1px solid var(--line); }
    .compose message-composer { flex: 1; }
    .attach { padding: 0.45rem 0.8rem; font: inherit; background: var(--panel); border: 1px solid var(--control-line); border-radius: 6px; cursor: pointer; }
    .attach-input { position: absolute; width: 1px; height: 1px; opacity: 0; overflow: hidden; }
    .file-error { grid-area: composer; align-self: end; margin: 0 1rem 0.2rem; color: var(--danger); font-size: 0.85rem; }
    chat-log.dragging { outline: 3px dashed var(--accent); outline-offset: -6px; }
    @media (max-width: 700px) {
      :host { grid-template-columns: 1fr; grid-template-rows: auto 1fr auto auto;
        grid-template-areas: 'header' 'log' 'composer' 'side'; height: auto; min-height: 100vh; }
      chat-log { min-height: 50vh; }
      aside { border-left: 0; border-top: 1px solid var(--line); }
    }
  `;

  @property({ attribute: false }) snapshot!: SessionSnapshot;
  /** The person's Settings (typing, notifications, sound). */
  @property({ attribute: false }) preferences: Preferences = defaultPreferences;
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
  /** The safety number with a member, by peer id. */
  @property({ attribute: false }) safetyNumberOf: (peerId: string) => SafetyNumber | null = () => null;

  override render() {
    const { snapshot } = this;
    const status = statusText(snapshot);
    return html`
      <header>
        <h1>Room ${snapshot.room}</h1>
        <span class="status ${status.warn ? 'warn' : ''}" role="status">${status.text}</span>
        <button type="button" @click=${() => this.dispatchEvent(appEvent('room-leave-requested', undefined))}>Leave</button>
      </header>
      <chat-log class=${this.dragging ? 'dragging' : ''} .entries=${snapshot.timeline} .files=${snapshot.files} .typing=${snapshot.typing}
        @file-cancel-requested=${this.#cancelFile} @dragover=${this.#dragOver} @dragleave=${() => (this.dragging = false)}
        @drop=${this.#drop} @paste=${this.#paste}></chat-log>
      <aside>
        <section class="people">
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
        <invite-link href=${this.invite}></invite-link>
        <room-settings .preferences=${this.preferences}></room-settings>
      </aside>
      <div class="compose" @paste=${this.#paste}>
        <input class="attach-input" id="attach" type="file" multiple aria-label="Attach file" @change=${this.#picked} />
        <input class="attach-input" id="attach-direct" type="file" multiple aria-label="Send a file to one person" @change=${this.#picked} />
        <button class="attach" type="button" @click=${this.#openPicker}>Attach file</button>
        <message-composer ?enabled=${snapshot.phase === 'connected' || snapshot.phase === 'reconnecting'} error=${this.error}
          .people=${snapshot.roster.members} selfId=${snapshot.selfId ?? ''}>
        </message-composer>
      </div>
      ${this.fileError ? html`<p class="file-error" role="alert">${this.fileError}</p>` : null}
    `;
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
      if (!sent.ok) this.fileError = `${file.name} was not sent: ${sent.error.message}.`;
    }
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

function statusText(snapshot: SessionSnapshot): { text: string; warn: boolean } {
  if (snapshot.phase === 'reconnecting') return { text: 'reconnecting to the server…', warn: true };
  if (snapshot.phase !== 'connected') return { text: snapshot.phase, warn: true };
  if (snapshot.role === 'host') return { text: 'connected · you host this room', warn: false };
  return snapshot.linkedToHost
    ? { text: 'connected', warn: false }
    : { text: 'connecting to the host…', warn: true };
}

declare global {
  interface HTMLElementTagNameMap {
    'room-view': RoomView;
  }
}
