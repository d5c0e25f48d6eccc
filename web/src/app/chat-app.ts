import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { RoomController } from '../controllers/room-controller.ts';
import type { SessionError } from '../net/session-types.ts';
import type { ChatSubmit, ComposerTyping, DirectSubmit, JoinRequest, LanguagePick, VerifyRequest } from '../events.ts';
import { loadLanguageChoice, saveLanguageChoice } from '../storage/language-choice.ts';
import type { Preferences } from '../storage/preferences.ts';
import { serverAddressHint } from '../components/join-form.ts';
import { inviteLink, readInvite, readInviteFragment, withFragment, withoutFragment } from './invite.ts';
import { chooseLanguage, isLanguage, SOURCE_LANGUAGE, startLocalisation, type LanguageCode } from './language.ts';
import { Lazy } from './lazy.ts';
import { sessionErrorText } from './session-error-text.ts';
import type { PrivateInvite } from './private-invite.ts';
import { newRoomId } from './room-id.ts';
import { cleanRoomTitle, pageTitle } from './room-title.ts';

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
@localized()
export class ChatApp extends LitElement {
  static override styles = css`
    :host { display: block; min-height: 100vh; }
    main { display: block; }
  `;

  /**
   * What the join form does not need is loaded on first need, so the form shows after a small download: the room
   * code (net/, simple-peer, the session, the room's components) with the cryptography that reads a private invite.
   * It starts loading when the person starts on the form (see {@link #prefetch}), and Join waits for it.
   */
  readonly #roomCode = new Lazy(() => import('./room-entry.ts'));
  /** The room session, made once the room code has loaded. */
  #room: RoomController | null = null;
  readonly #safetyNumberOf = (peerId: string) => this.#room?.safetyNumberWith(peerId) ?? null;
  /** Settles once the page's invite fragment, if it had one, has been read (valid or not). */
  #fragmentRead: Promise<void> = Promise.resolve();
  /** The page's language (the components' words and `<html lang>`). */
  readonly #localisation = startLocalisation(document.documentElement);
  /** The language shown: the one picked with the switch, else the browser's first that ChatUs speaks. */
  @state() private language: LanguageCode = chooseLanguage(loadLanguageChoice(() => globalThis.localStorage), navigator.languages);
  /** False while the chosen language's words are downloading: the form waits for them rather than flash English. */
  @state() private languageReady = this.language === SOURCE_LANGUAGE;
  @state() private joining = false;
  @state() private joinError = '';
  @state() private sendError = '';
  @state() private target = readInvite(new URL(location.href));
  /**
   * The room's title: from the invite link's fragment, or typed by whoever creates the room; '' for none. It lives
   * only in invite links (never on the server), so each page cleans it (cleanRoomTitle) and shows it as text.
   */
  @state() private roomTitle = readInviteFragment(new URL(location.href)).title;
  /** The private room this page was opened for (its invite link's fragment), or created; null for open rooms. */
  @state() private privateInvite: PrivateInvite | null = null;
  /** The page came with a fragment that is still being read: the form shows the private room's note meanwhile. */
  @state() private readingFragment = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#showLanguage(this.language).finally(() => {
      this.languageReady = true;
    });
    this.#fragmentRead = this.#readFragment();
    const remembered = rememberedJoin();
    if (!remembered) return;
    void this.#fragmentRead.then(async () => {
      if (remembered.room !== this.target.room || remembered.server !== this.target.server) return;
      if (remembered.secret !== undefined) {
        const code = await this.#load(this.#roomCode);
        if (!code) return;
        this.privateInvite = code.privateInviteFrom(remembered.secret);
      }
      await this.#join(remembered);
    });
  }

  /**
   * Takes a private room's secret out of the link it came in (the fragment, which no browser sends to a server) and
   * out of the address bar at once, so that it is not left on screen, in the history or in a bookmark; then loads the
   * room code, whose cryptography reads it.
   */
  async #readFragment(): Promise<void> {
    const pageUrl = new URL(location.href);
    // An open room's link may carry a title there, which can stay in the address bar: only a secret must go.
    if (readInviteFragment(pageUrl).secret === '') return;
    history.replaceState(null, '', withoutFragment(pageUrl));
    this.readingFragment = true;
    const code = await this.#load(this.#roomCode);
    this.readingFragment = false;
    if (!code) return;
    const fragment = code.readFragment(pageUrl);
    if (fragment.kind === 'none') return;
    if (fragment.kind === 'invalid' || (this.target.room !== '' && this.target.room !== fragment.invite.room.roomId)) {
      this.joinError = code.invalidInviteText();
      this.target = { ...this.target, room: '' };
      return;
    }
    this.privateInvite = fragment.invite;
    this.target = { ...this.target, room: fragment.invite.room.roomId };
  }

  /** Shows `language` (the language stays as it was if its words could not be downloaded). */
  async #showLanguage(language: LanguageCode): Promise<void> {
    try {
      await this.#localisation.show(language);
    } catch {
      // Offline, or the server now has another build: the page keeps the language it had, and the switch says which.
    }
    this.language = this.#localisation.current();
  }

  #onLanguagePicked(event: CustomEvent<LanguagePick>): void {
    const { language } = event.detail;
    if (!isLanguage(language)) return;
    saveLanguageChoice(() => globalThis.localStorage, language);
    void this.#showLanguage(language);
  }

  /** Starts loading the room code: the person has begun on the join form. */
  readonly #prefetch = (): void => {
    void this.#roomCode.get().catch(() => undefined);
  };

  /** A lazily loaded module, or null (with a sentence for the person) when it could not be downloaded. */
  async #load<T>(code: Lazy<T>): Promise<T | null> {
    try {
      return await code.get();
    } catch {
      this.joinError = msg('Could not load ChatUs from the server. Check the connection and reload the page.', { id: 'app.load-failed' });
      return null;
    }
  }

  override render() {
    const snapshot = this.#room?.snapshot;
    if (snapshot && snapshot.phase !== 'left' && snapshot.phase !== 'failed') {
      const link = inviteLink(new URL(location.href), { server: this.target.server, room: snapshot.room }, snapshot.shareUrl);
      const invite = withFragment(link, { secret: this.privateInvite?.secret ?? '', title: this.roomTitle });
      return html`<room-view
        .snapshot=${snapshot}
        roomTitle=${this.roomTitle}
        invite=${invite.href}
        error=${this.sendError || (snapshot.error ? sessionErrorText(snapshot.error) : '')}
        notKept=${this.#room?.notKept ?? ''}
        .safetyNumberOf=${this.#safetyNumberOf}
        .files=${this.#room?.files}
        .preferences=${this.#room?.preferences}
        language=${this.language}
        @language-picked=${this.#onLanguagePicked}
        @composer-typing=${this.#onComposing}
        @preferences-changed=${this.#onPreferences}
        @chat-submit=${this.#onSubmit}
        @key-verify-requested=${this.#onVerify}
        @direct-submit=${this.#onDirect}
        @room-leave-requested=${this.#leave}
      ></room-view>`;
    }
    const lost = snapshot?.phase === 'failed' ? (snapshot.error ? joinFailureText(snapshot.error, '') : msg('the connection failed', { id: 'app.connection-failed' })) : '';
    if (!this.languageReady) return html`<main></main>`;
    return html`<main><join-form
      name=${localStorage.getItem(NAME_KEY) ?? ''}
      room=${this.target.room}
      roomTitle=${this.roomTitle}
      server=${this.target.server}
      error=${this.joinError || lost}
      ?busy=${this.joining}
      ?private-invite=${this.privateInvite !== null || this.readingFragment}
      language=${this.language}
      @language-picked=${this.#onLanguagePicked}
      @room-join-requested=${this.#onJoin}
      @pointerdown=${this.#prefetch}
      @keydown=${this.#prefetch}
      @input=${this.#prefetch}
    ></join-form></main>`;
  }

  /**
   * The tab's title follows the room's title; in a room, the log puts the unread count in front of it (TitleCount),
   * which is kept here.
   */
  protected override updated(): void {
    const count = this.renderRoot.querySelector('room-view') ? (/^\(\d+\) /.exec(document.title)?.[0] ?? '') : '';
    // A private room's title stays out of the browser's history and tab lists, as its secret stays out of the address bar.
    const title = count + pageTitle(this.privateInvite ? '' : this.roomTitle);
    if (document.title !== title) document.title = title;
  }

  #onJoin(event: CustomEvent<JoinRequest>): void {
    void this.#join(event.detail);
  }

  async #join(request: JoinRequest): Promise<void> {
    const { name, server } = request;
    const fragmentPending = this.readingFragment;
    this.joining = true;
    this.joinError = '';
    const [code] = await Promise.all([this.#load(this.#roomCode), this.#fragmentRead]);
    // Join pressed while the link's secret was being read, and it was not valid: join nothing, the form says why.
    if (!code || (fragmentPending && this.privateInvite === null)) {
      this.joining = false;
      return;
    }
    if (request.createPrivate) this.privateInvite = code.newPrivateInvite();
    // The form asks for a title when the person makes a room or names one; an invite's title comes from its link.
    if (request.title !== undefined) this.roomTitle = cleanRoomTitle(request.title);
    const privateRoom = this.privateInvite?.room;
    const room = privateRoom?.roomId ?? (request.room || newRoomId());
    let url: URL;
    try {
      url = code.signalingUrl(server, location.protocol === 'https:');
    } catch {
      this.joining = false;
      this.joinError = serverAddressHint();
      return;
    }
    this.target = { server, room };
    this.#room ??= new code.RoomController(this);
    const joined = await this.#room.join({ url: url.href, room, name, privateRoom });
    this.joining = false;
    if (!joined.ok) {
      this.joinError = joinFailureText(joined.error, code.invalidInviteText());
      return;
    }
    localStorage.setItem(NAME_KEY, name);
    // This tab only: a reload goes back in, to a private room too (its secret never returns to the address bar).
    const title = this.roomTitle;
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ name, room, server, title, secret: this.privateInvite?.secret }));
    // The address bar becomes the invite link (without a private room's secret), so a reload comes back to the room.
    const address = inviteLink(new URL(location.href), { server, room }, undefined);
    history.replaceState(null, '', withFragment(address, { title: this.privateInvite ? '' : title }));
  }

  #onSubmit(event: CustomEvent<ChatSubmit>): void {
    const { text } = event.detail;
    if (QUIT_WORDS.has(text.trim().toLowerCase())) {
      this.#leave();
      return;
    }
    this.sendError = this.#errorText(this.#room?.send(text));
  }

  /** Why a message did not go, in words; '' when it went. */
  #errorText(error: SessionError | null | undefined): string {
    return error ? sessionErrorText(error) : '';
  }

  #onComposing(event: CustomEvent<ComposerTyping>): void {
    this.#room?.composing(event.detail.active);
  }

  #onPreferences(event: CustomEvent<Preferences>): void {
    this.#room?.setPreferences(event.detail);
  }

  #onVerify(event: CustomEvent<VerifyRequest>): void {
    this.#room?.setVerified(event.detail.peerId, event.detail.verified);
  }

  #onDirect(event: CustomEvent<DirectSubmit>): void {
    this.sendError = this.#errorText(this.#room?.sendPrivate(event.detail.peerId, event.detail.text));
  }

  #leave(): void {
    sessionStorage.removeItem(SESSION_KEY);
    this.#room?.leave();
    // Back to the plain form: the private room's secret is forgotten with the session.
    if (this.privateInvite) {
      this.target = { ...this.target, room: '' };
      this.roomTitle = '';
    }
    this.privateInvite = null;
    this.sendError = '';
    this.joinError = '';
  }
}

/** The room this tab was in before a reload, if any, with a private room's secret. */
function rememberedJoin(): (JoinRequest & { readonly secret?: string }) | null {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
    if (typeof value !== 'object' || value === null) return null;
    const { name, room, server, title, secret } = value as Record<string, unknown>;
    if (typeof name !== 'string' || typeof room !== 'string' || typeof server !== 'string') return null;
    const join = { name, room, server, title: typeof title === 'string' ? title : '' };
    return typeof secret === 'string' ? { ...join, secret } : join;
  } catch {
    return null;
  }
}

/** Why the join failed (or the room's connection was lost), in words; `invalidInvite`: what a bad invite link gets. */
function joinFailureText(error: SessionError, invalidInvite: string): string {
  const message = error.detail ?? '';
  switch (error.code) {
    case 'ERR_NAME_TAKEN':
      return msg('That name is taken in this room. Pick another name.', { id: 'app.error.name-taken' });
    case 'ERR_ROOM_FULL':
      return msg('This room is full. Try again later or create a new room.', { id: 'app.error.room-full' });
    case 'ERR_PRIVATE_ROOM':
      return msg('This room is private. Open it with its whole invite link, the part after # included.', { id: 'app.error.private-room' });
    case 'ERR_BAD_PROOF':
    case 'ERR_ROOM_KEY_MISMATCH':
      return invalidInvite || sessionErrorText(error);
    case 'ERR_ROOM_NOT_PRIVATE':
      return msg('An open room is using this private room’s id right now. Try again once it is empty, or create a new private room.', {
        id: 'app.error.room-not-private',
      });
    case 'ERR_DISCONNECTED':
      return msg(str`Could not reach the server. Check the Server address (host:port) and that ChatUs is running there. (${message})`, {
        id: 'app.error.disconnected',
      });
    default:
      return msg(str`Could not join: ${sessionErrorText(error)}`, { id: 'app.error.join-failed' });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-app': ChatApp;
  }
}
