import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { MAX_NAME_LENGTH, MAX_ROOM_TITLE_LENGTH, NAME_PATTERN, ROOM_ID_PATTERN } from '../../../shared/limits.ts';
import { appEvent } from '../events.ts';
import { focusRing } from './focus-ring.ts';

/**
 * The join form: Name, Room (empty creates a room), Room title (optional, unless an invite link named the room: then
 * its title is shown) and Server (host:port of the signaling server). It checks what it can before asking to join and
 * shows the reason for any refusal, its own or the server's.
 */
@customElement('join-form')
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

  @state() private localError = '';

  override render() {
    const message = this.localError || this.error;
    return html`
      <h1>ChatUs</h1>
      <p class="lead">Group chat that goes browser to browser.</p>
      ${this.#invited() && this.roomTitle
        ? html`<p class="invited">You are invited to <strong dir="auto">${this.roomTitle}</strong>.</p>`
        : null}
      <form @submit=${this.#submit} novalidate>
        <label for="name">Name</label>
        <input id="name" name="name" autocomplete="nickname" .value=${this.name} required />
        ${this.privateInvite
          ? html`<p class="private" id="private-note">
              Private room, from your invite link. Only people with the link can join, and the server cannot read it.
            </p>`
          : html`<label for="room">Room</label>
              <input id="room" name="room" autocomplete="off" aria-describedby="room-hint" .value=${this.room} />
              <div id="room-hint" class="hint">Leave empty to create a new room.</div>`}
        ${this.#invited()
          ? null
          : html`<label for="title">Room title <span class="hint">(optional)</span></label>
              <input id="title" name="title" autocomplete="off" dir="auto" maxlength=${MAX_ROOM_TITLE_LENGTH} aria-describedby="title-hint" />
              <div id="title-hint" class="hint">Shown in the room and in your invite link.</div>`}
        <label for="server">Server</label>
        <input id="server" name="server" autocomplete="url" aria-describedby="server-hint" .value=${this.server} required />
        <div id="server-hint" class="hint">The ChatUs server as host:port.</div>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Joining…' : 'Join'}</button>
        ${this.privateInvite
          ? null
          : html`<button type="submit" class="secondary" value="private" ?disabled=${this.busy}>Create private room</button>`}
        ${message ? html`<div role="alert">${message}</div>` : null}
      </form>
    `;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#name')?.focus();
  }

  /** An invite link named the room (and its title): the form asks for no title. */
  #invited(): boolean {
    return this.room !== '' || this.privateInvite;
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (field: string): string => (form.elements.namedItem(field) as HTMLInputElement | null)?.value.trim() ?? '';
    const createPrivate = (event.submitter as HTMLButtonElement | null)?.value === 'private';
    // A private room's id comes from its secret: the Room field (absent for an invite) does not apply.
    const request = { name: value('name'), room: createPrivate ? '' : value('room'), server: value('server'), createPrivate,
      ...(this.#invited() ? {} : { title: value('title') }) };
    this.localError = validateJoin(request);
    if (this.localError) {
      this.renderRoot.querySelector<HTMLInputElement>(`#${fieldOf(this.localError)}`)?.focus();
      return;
    }
    this.dispatchEvent(appEvent('room-join-requested', request));
  }
}

/** Checks a join request before it goes anywhere; returns a sentence, or '' when it is fine. */
export function validateJoin(request: { name: string; room: string; server: string }): string {
  if (request.name.length === 0) return 'Name: type the name others will see.';
  if (request.name.length > MAX_NAME_LENGTH) return `Name: at most ${MAX_NAME_LENGTH} characters, please shorten it.`;
  if (!NAME_PATTERN.test(request.name)) return 'Name: invisible or control characters are not allowed.';
  if (request.room.length > 0 && !ROOM_ID_PATTERN.test(request.room)) {
    return 'Room: use 1–64 letters, digits, "-" or "_", or leave it empty to create a room.';
  }
  if (request.server.length === 0) return 'Server: type the host:port of the ChatUs server.';
  if (!URL.canParse(/^[a-z]+:\/\//i.test(request.server) ? request.server : `http://${request.server}`)) {
    return 'Server: write it as host:port, for example 192.168.1.20:8080.';
  }
  return '';
}

function fieldOf(message: string): string {
  return message.split(':', 1)[0]?.toLowerCase() ?? 'name';
}

declare global {
  interface HTMLElementTagNameMap {
    'join-form': JoinForm;
  }
}
