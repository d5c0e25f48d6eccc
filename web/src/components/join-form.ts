import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { MAX_NAME_LENGTH, MAX_ROOM_TITLE_LENGTH, NAME_PATTERN, ROOM_ID_PATTERN } from '../../../shared/limits.ts';
import { appEvent } from '../events.ts';
import { focusRing } from './focus-ring.ts';
import './language-switch.ts';

/**
 * The join form: Name, Room (empty creates a room), Room title (optional, unless an invite link named the room: then
 * its title is shown) and Server (host:port of the signaling server). It checks what it can before asking to join and
 * shows the reason for any refusal, its own or the server's. Below it, the Language switch.
 */
@customElement('join-form')
@localized()
export class JoinForm extends LitElement {
  static override styles = [
    focusRing,
    css`
      :host { display: block; max-width: 26rem; margin: 8vh auto; padding: 2rem; background: var(--surface); border-radius: 12px;
        box-shadow: 0 2px 12px rgb(0 0 0 / 8%); }
      h1 { margin: 0 0 0.25rem; font-size: 1.6rem; }
      p.lead { margin: 0 0 1.5rem; color: var(--muted); }
      label { display: block; margin: 0.9rem 0 0.3rem; font-weight: 600; }
      .hint { margin-top: 0.25rem; color: var(--muted); font-size: 0.85rem; }
      input { box-sizing: border-box; width: 100%; padding: 0.6rem 0.7rem; font: inherit; border: 1px solid var(--control-line);
        border-radius: 8px; }
      button { margin-top: 1.4rem; width: 100%; padding: 0.7rem; font: inherit; font-weight: 600; color: var(--on-accent);
        background: var(--accent); border: 0; border-radius: 8px; cursor: pointer; }
      button[disabled] { opacity: 0.6; cursor: progress; }
      button.secondary { margin-top: 0.6rem; color: var(--accent-soft-text); background: var(--accent-soft); }
      .invited { margin: 0 0 0.5rem; overflow-wrap: anywhere; }
      .private { margin: 0.9rem 0 0; padding: 0.6rem 0.8rem; background: var(--ok-soft); border-radius: 8px; color: var(--ok-soft-text); }
      language-switch { justify-content: flex-end; margin-top: 1.2rem; color: var(--muted); font-size: 0.9rem; }
      [role='alert'] { margin-top: 1rem; padding: 0.6rem 0.8rem; color: var(--danger); background: var(--danger-soft); border-radius: 8px; }
    `,
  ];

  /** Prefill for Name. */
  @property() name = '';
  /** Prefill for Room (from an invite link). */
  @property() room = '';
  /** The title of the room an invite link names (cleaned), or ''. */
  @property() roomTitle = '';
  /** Prefill for Server (the page's own host:port, or the invite link's). */
  @property() server = '';
  /** A reason to show, such as the server's refusal of the last attempt. */
  @property() error = '';
  /** True while a join is in progress. */
  @property({ type: Boolean }) busy = false;
  /** The page was opened with a private room's invite link: the room comes from the link, not the Room field. */
  @property({ type: Boolean, attribute: 'private-invite' }) privateInvite = false;
  /** The language shown, a code from LANGUAGES: the switch's value. */
  @property() language = 'en';

  @state() private localError: JoinProblem | null = null;
  /** What the person typed in Room, once they did: another room than the link's is not the one it invites to. */
  @state() private roomTyped: string | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('room')) this.roomTyped = null;
  }

  override render() {
    const message = this.localError?.message || this.error;
    return html`
      <h1>ChatUs</h1>
      <p class="lead">${msg('Group chat that goes browser to browser.', { id: 'join.lead' })}</p>
      ${this.#invited() && this.roomTitle
        ? html`<p class="invited">${msg(html`You are invited to <strong dir="auto">${this.roomTitle}</strong>.`, { id: 'join.invited' })}</p>`
        : null}
      <form @submit=${this.#submit} novalidate>
        <label for="name">${msg('Name', { id: 'join.name' })}</label>
        <input id="name" name="name" autocomplete="nickname" .value=${this.name} required />
        ${this.privateInvite
          ? html`<p class="private" id="private-note">
              ${msg('Private room, from your invite link. Only people with the link can join, and the server cannot read it.', { id: 'join.private-note' })}
            </p>`
          : html`<label for="room">${msg('Room', { id: 'join.room' })}</label>
              <input id="room" name="room" autocomplete="off" aria-describedby="room-hint" .value=${this.room}
                @input=${(event: InputEvent) => (this.roomTyped = (event.target as HTMLInputElement).value.trim())} />
              <div id="room-hint" class="hint">${msg('Leave empty to create a new room.', { id: 'join.room-hint' })}</div>`}
        ${this.#invited()
          ? null
          : html`<label for="title">${msg('Room title', { id: 'join.title' })} <span class="hint">${msg('(optional)', { id: 'join.optional' })}</span></label>
              <input id="title" name="title" autocomplete="off" dir="auto" maxlength=${MAX_ROOM_TITLE_LENGTH} aria-describedby="title-hint" />
              <div id="title-hint" class="hint">${msg('Shown in the room and in your invite link.', { id: 'join.title-hint' })}</div>`}
        <label for="server">${msg('Server', { id: 'join.server' })}</label>
        <input id="server" name="server" autocomplete="url" aria-describedby="server-hint" .value=${this.server} required />
        <div id="server-hint" class="hint">${msg('The ChatUs server as host:port.', { id: 'join.server-hint' })}</div>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? msg('Joining…', { id: 'join.joining' }) : msg('Join', { id: 'join.join' })}</button>
        ${this.privateInvite
          ? null
          : html`<button type="submit" class="secondary" value="private" ?disabled=${this.busy}>${msg('Create private room', { id: 'join.create-private' })}</button>`}
        ${message ? html`<div role="alert">${message}</div>` : null}
      </form>
      <language-switch language=${this.language}></language-switch>
    `;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#name')?.focus();
  }

  /**
   * An invite link named the room (and its title), and Room still names it: the form asks for no title. Once the
   * person names another room (or none, to create one), the link's title is not that room's: the form asks again.
   */
  #invited(): boolean {
    return this.privateInvite || (this.room !== '' && (this.roomTyped ?? this.room) === this.room);
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (field: string): string => (form.elements.namedItem(field) as HTMLInputElement | null)?.value.trim() ?? '';
    const createPrivate = (event.submitter as HTMLButtonElement | null)?.value === 'private';
    // A private room's id comes from its secret: the Room field (absent for an invite) does not apply.
    // The title: the invite's own (none given), or the one typed for a room the person makes or names ('' for none).
    const keepsInvite = this.#invited() && !(createPrivate && !this.privateInvite);
    const request = { name: value('name'), room: createPrivate ? '' : value('room'), server: value('server'), createPrivate,
      ...(keepsInvite ? {} : { title: value('title') }) };
    this.localError = validateJoin(request);
    if (this.localError) {
      this.renderRoot.querySelector<HTMLInputElement>(`#${this.localError.field}`)?.focus();
      return;
    }
    this.dispatchEvent(appEvent('room-join-requested', request));
  }
}

/** Why the form will not ask to join: a sentence, and the field it is about (which gets the focus). */
export interface JoinProblem {
  readonly field: 'name' | 'room' | 'server';
  readonly message: string;
}

/** Checks a join request before it goes anywhere; returns what is wrong, or null when it is fine. */
export function validateJoin(request: { name: string; room: string; server: string }): JoinProblem | null {
  if (request.name.length === 0) return { field: 'name', message: msg('Name: type the name others will see.', { id: 'join.error.name-empty' }) };
  if (request.name.length > MAX_NAME_LENGTH) {
    return { field: 'name', message: msg(str`Name: at most ${MAX_NAME_LENGTH} characters, please shorten it.`, { id: 'join.error.name-long' }) };
  }
  if (!NAME_PATTERN.test(request.name)) {
    return { field: 'name', message: msg('Name: invisible or control characters are not allowed.', { id: 'join.error.name-invisible' }) };
  }
  if (request.room.length > 0 && !ROOM_ID_PATTERN.test(request.room)) {
    return { field: 'room', message: msg('Room: use 1–64 letters, digits, "-" or "_", or leave it empty to create a room.', { id: 'join.error.room' }) };
  }
  if (request.server.length === 0) {
    return { field: 'server', message: msg('Server: type the host:port of the ChatUs server.', { id: 'join.error.server-empty' }) };
  }
  if (!URL.canParse(/^[a-z]+:\/\//i.test(request.server) ? request.server : `http://${request.server}`)) {
    return { field: 'server', message: serverAddressHint() };
  }
  return null;
}

/** How to write the Server field: for the form's own check and for an address the room code cannot use. */
export function serverAddressHint(): string {
  return msg('Server: write it as host:port, for example 192.168.1.20:8080.', { id: 'join.error.server-form' });
}

declare global {
  interface HTMLElementTagNameMap {
    'join-form': JoinForm;
  }
}
