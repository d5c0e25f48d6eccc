import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PrivateRoom } from '../../../shared/crypto/private-room.ts';
import type { SafetyNumber } from '../../../shared/crypto/safety-number.ts';
import type { Result } from '../../../shared/result.ts';
import { RoomSession, type SessionError, type SessionSnapshot } from '../net/room-session.ts';
import type { WebSocketLike } from '../net/signaling-client.ts';
import { randomId } from '../platform/secure-context.ts';
import { ProfileLoader, type NotKept } from '../storage/profile.ts';
import { loadPreferences, savePreferences, type Preferences } from '../storage/preferences.ts';
import { Lazy } from '../app/lazy.ts';
import type { MessageAlerts } from './message-alerts.ts';

/** Where to join, as whom. */
export interface JoinParams {
  readonly url: string;
  readonly room: string;
  readonly name: string;
  /** A private room's keys, derived from its invite secret. */
  readonly privateRoom?: PrivateRoom | undefined;
}

/**
 * Owns the room session of a page: loads the profile's keys and trust store before joining, starts the session on
 * request, re-renders its host on every change, and leaves the room when the host element leaves the page.
 */
export class RoomController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #profile = new ProfileLoader();
  #session: RoomSession | null = null;
  #unsubscribe: (() => void) | null = null;
  /** Counts joins and leaves, so that a join whose profile loaded after a later leave or join goes no further. */
  #attempt = 0;
  /** The newest state of the session, or null outside a room. */
  snapshot: SessionSnapshot | null = null;
  /** What this browser could not keep of the person's keys for the next visit, or null. */
  notKept: NotKept | null = null;
  /** The person's Settings, kept in this browser. */
  preferences: Preferences = loadPreferences(() => globalThis.localStorage);
  /** Notifications and the tone: loaded once the person switches one on (most never do). */
  readonly #alertCode = new Lazy(() => import('./message-alerts.ts'));
  #alerts: MessageAlerts | null = null;
  /** Whether the room is private: its lines are never quoted in a notification. */
  #privateRoom = false;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.leave();
  }

  /** Joins a room; resolves once admitted, or with the reason it was refused. */
  async join(params: JoinParams): Promise<Result<SessionSnapshot, SessionError>> {
    this.leave();
    const attempt = this.#attempt;
    const profile = await this.#profile.load();
    if (attempt !== this.#attempt) return { ok: false, error: { code: 'ERR_LEFT' } };
    this.notKept = profile.notKept;
    this.#privateRoom = params.privateRoom !== undefined;
    const session = new RoomSession(params, {
      // The browser WebSocket has the shape WebSocketLike names; its handler types are only wider.
      createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
      randomId,
      now: () => Date.now(),
      identity: profile.identity,
      trust: profile.trust,
      partials: profile.partials,
    });
    this.#session = session;
    session.typing.enabled = this.preferences.typing;
    this.#unsubscribe = session.on('change', (snapshot) => {
      this.snapshot = snapshot;
      this.#alert(snapshot);
      this.#host.requestUpdate();
    });
    try {
      await session.join();
      return { ok: true, value: session.snapshot() };
    } catch (error) {
      this.#drop();
      return { ok: false, error: error as SessionError };
    }
  }

  /** Sends a chat message; the error says why it could not go. */
  send(text: string): SessionError | null {
    if (!this.#session) return { code: 'ERR_NOT_CONNECTED' };
    const sent = this.#session.send(text);
    if (sent.ok) this.#session.typing.sent();
    return sent.ok ? null : sent.error;
  }

  /** The message box holds a room message being written, or no longer does (see RoomTyping). */
  composing(active: boolean): void {
    this.#session?.typing.composing(active);
  }

  /** The person changed Settings: applied at once, kept for next time. */
  setPreferences(preferences: Preferences): void {
    this.preferences = preferences;
    savePreferences(() => globalThis.localStorage, preferences);
    if (this.#session) this.#session.typing.enabled = preferences.typing;
    if (this.snapshot) this.#alert(this.snapshot);
    this.#host.requestUpdate();
  }

  /** The safety number of this person and the member `peerId`, or null outside a room or without their key. */
  safetyNumberWith(peerId: string): SafetyNumber | null {
    return this.#session?.safetyNumberWith(peerId) ?? null;
  }

  /** Marks the member `peerId`'s current key verified, or no longer verified. */
  setVerified(peerId: string, verified: boolean): void {
    this.#session?.setVerified(peerId, verified);
  }

  /** Sends a private message to the roster member `peerId`; the error says why it could not go. */
  sendPrivate(peerId: string, text: string): SessionError | null {
    if (!this.#session) return { code: 'ERR_NOT_CONNECTED' };
    const sent = this.#session.privateMessage(peerId, text);
    return sent.ok ? null : sent.error;
  }

  /** The room's file transfers, or null outside a room. */
  get files(): RoomSession['files'] | null {
    return this.#session?.files ?? null;
  }

  /** Leaves the room, if in one. */
  leave(): void {
    this.#attempt += 1;
    this.#session?.leave();
    this.#drop();
  }

  /** Hands the log to the notifications and the tone, once one of them is on (loading their code the first time). */
  #alert(snapshot: SessionSnapshot): void {
    const { sound, notifications } = this.preferences;
    if (!sound && !notifications) return;
    if (this.#alerts) return this.#alerts.update(snapshot.timeline, document.visibilityState === 'hidden', this.preferences);
    const session = this.#session;
    void this.#alertCode.get().then((code) => {
      if (this.#session !== session) return; // Left meanwhile.
      // The first look notes what the log holds; from then on, only what arrives counts.
      this.#alerts ??= new code.MessageAlerts(code.browserOutlets(snapshot.room), !this.#privateRoom);
      if (this.snapshot) this.#alerts.update(this.snapshot.timeline, document.visibilityState === 'hidden', this.preferences);
    }, () => undefined);
  }

  #drop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#session = null;
    this.#alerts = null;
    this.snapshot = null;
    this.#host.requestUpdate();
  }
}
