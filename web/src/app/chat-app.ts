import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { RoomController } from '../controllers/room-controller.ts';
import type { ChatSubmit, DirectSubmit, JoinRequest } from '../events.ts';
import { signalingUrl } from '../net/signaling-client.ts';
import '../components/join-form.ts';
import '../components/room-view.ts';
import { inviteLink, readInvite } from './invite.ts';
import { newRoomId } from './room-id.ts';

/** Words that leave the room when sent as a message, as in the old socket chat. */
const QUIT_WORDS = new Set(['quit', '/quit']);

/** Where the name is remembered between visits (this browser only). */
const NAME_KEY = 'chatus.name';

/** Where this tab remembers the room it is in, so that a reload goes straight back in (this tab only). */
const SESSION_KEY = 'chatus.session';

/**
 * The app shell: owns the state, shows the join form or the room, and turns the children's events into calls on the
 * room controller.
 */
@customElement('chat-app')
export class ChatApp extends LitElement {
  static override styles = css`
    :host { display: block; min-height: 100vh; }
  `;

  readonly #room = new RoomController(this);
  @state() private joining = false;
  @state() private joinError = '';
  @state() private sendError = '';
  @state() private target = readInvite(new URL(location.href));

  override connectedCallback(): void {
    super.connectedCallback();
    const remembered = rememberedJoin();
    if (remembered && remembered.room === this.target.room && remembered.server === this.target.server) {
      void this.#join(remembered);
    }
  }

  override render() {
    const snapshot = this.#room.snapshot;
    if (snapshot && snapshot.phase !== 'left' && snapshot.phase !== 'failed') {
      const invite = inviteLink(new URL(location.href), { server: this.target.server, room: snapshot.room }, snapshot.shareUrl);
      return html`<room-view
        .snapshot=${snapshot}
        invite=${invite.href}
        error=${this.sendError || (snapshot.error?.message ?? '')}
        @chat-submit=${this.#onSubmit}
        @direct-submit=${this.#onDirect}
        @room-leave-requested=${this.#leave}
      ></room-view>`;
    }
    const lost = snapshot?.phase === 'failed' ? (snapshot.error?.message ?? 'the connection failed') : '';
    return html`<join-form
      name=${localStorage.getItem(NAME_KEY) ?? ''}
      room=${this.target.room}
      server=${this.target.server}
      error=${this.joinError || lost}
      ?busy=${this.joining}
      @room-join-requested=${this.#onJoin}
    ></join-form>`;
  }

  #onJoin(event: CustomEvent<JoinRequest>): void {
    void this.#join(event.detail);
  }

  async #join(request: JoinRequest): Promise<void> {
    const { name, server } = request;
    const room = request.room || newRoomId();
    let url: URL;
    try {
      url = signalingUrl(server, location.protocol === 'https:');
    } catch {
      this.joinError = 'Server: write it as host:port, for example 192.168.1.20:8080.';
      return;
    }
    this.joining = true;
    this.joinError = '';
    this.target = { server, room };
    const joined = await this.#room.join({ url: url.href, room, name });
    this.joining = false;
    if (!joined.ok) {
      this.joinError = joinFailureText(joined.error.code, joined.error.message);
      return;
    }
    localStorage.setItem(NAME_KEY, name);
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ name, room, server }));
    // The address bar becomes the invite link, so a reload comes back to the same room.
    history.replaceState(null, '', inviteLink(new URL(location.href), { server, room }, undefined));
  }

  #onSubmit(event: CustomEvent<ChatSubmit>): void {
    const { text } = event.detail;
    if (QUIT_WORDS.has(text.trim().toLowerCase())) {
      this.#leave();
      return;
    }
    this.sendError = this.#room.send(text)?.message ?? '';
  }

  #onDirect(event: CustomEvent<DirectSubmit>): void {
    this.sendError = this.#room.sendPrivate(event.detail.peerId, event.detail.text)?.message ?? '';
  }

  #leave(): void {
    sessionStorage.removeItem(SESSION_KEY);
    this.#room.leave();
    this.sendError = '';
    this.joinError = '';
  }
}

/** The room this tab was in before a reload, if any. */
function rememberedJoin(): JoinRequest | null {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
    if (typeof value !== 'object' || value === null) return null;
    const { name, room, server } = value as Record<string, unknown>;
    return typeof name === 'string' && typeof room === 'string' && typeof server === 'string' ? { name, room, server } : null;
  } catch {
    return null;
  }
}

function joinFailureText(code: string, message: string): string {
  switch (code) {
    case 'ERR_NAME_TAKEN':
      return 'That name is taken in this room. Pick another name.';
    case 'ERR_ROOM_FULL':
      return 'This room is full. Try again later or create a new room.';
    case 'ERR_DISCONNECTED':
      return `Could not reach the server. Check the Server address (host:port) and that ChatUs is running there. (${message})`;
    default:
      return `Could not join: ${message}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-app': ChatApp;
  }
}
