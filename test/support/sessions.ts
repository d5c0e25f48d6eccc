import type { LivenessPolicy } from '../../shared/liveness.ts';
import { defaultLiveness } from '../../shared/liveness.ts';
import { RoomSession, type RoomSessionDeps, type RoomSessionOptions, type SessionSnapshot } from '../../web/src/net/room-session.ts';
import { nodeSessionDeps } from './node-webrtc.ts';

/** Liveness timings shortened so that fault tests take seconds, not tens of seconds. */
export const fastLiveness: LivenessPolicy = {
  ...defaultLiveness,
  pingIntervalMs: 200,
  silenceTimeoutMs: 1200,
  connectTimeoutMs: 4000,
  failedAfterMs: 3000,
  reconnect: { baseMs: 100, maxMs: 1000 },
  relink: { baseMs: 50, maxMs: 500 },
  noticeMs: 500,
};

/** Opens Node room sessions against one server and leaves them all at the end. */
export class SessionPool {
  readonly #sessions: RoomSession[] = [];
  readonly #url: () => string;
  readonly #liveness: LivenessPolicy;
  readonly #deps: Partial<RoomSessionDeps>;

  /** `deps` replace parts of Node's defaults (in-memory links, a test's own clock). */
  constructor(url: () => string, liveness: LivenessPolicy = fastLiveness, deps: Partial<RoomSessionDeps> = {}) {
    this.#url = url;
    this.#liveness = liveness;
    this.#deps = deps;
  }

  /** A new session (not yet joined); `options` add to room and name (a private room's keys). */
  open(room: string, name: string, options: Partial<RoomSessionOptions> = {}): RoomSession {
    const session = new RoomSession(
      { url: this.#url(), room, name, ...options },
      { ...nodeSessionDeps(), liveness: this.#liveness, ...this.#deps },
    );
    this.#sessions.push(session);
    return session;
  }

  /** Opens and joins. */
  async join(room: string, name: string, options: Partial<RoomSessionOptions> = {}): Promise<RoomSession> {
    const session = this.open(room, name, options);
    await session.join();
    return session;
  }

  /** Leaves every session. */
  leaveAll(): void {
    for (const session of this.#sessions.splice(0)) session.leave();
  }
}

/** Resolves with the first snapshot that satisfies `predicate`; rejects after `timeoutMs` with the last one. */
export function until(
  session: RoomSession,
  predicate: (snapshot: SessionSnapshot) => boolean,
  timeoutMs = 10_000,
): Promise<SessionSnapshot> {
  return new Promise((resolve, reject) => {
    const now = session.snapshot();
    if (predicate(now)) {
      resolve(now);
      return;
    }
    const timer = setTimeout(() => {
      off();
      reject(new Error(`condition not met in ${timeoutMs} ms; last: ${JSON.stringify(summary(session.snapshot()))}`));
    }, timeoutMs);
    const off = session.on('change', (snapshot) => {
      if (!predicate(snapshot)) return;
      clearTimeout(timer);
      off();
      resolve(snapshot);
    });
  });
}

/** "name: text" for every chat line, in timeline order. */
export function chatLines(snapshot: SessionSnapshot): string[] {
  return snapshot.timeline.flatMap((entry) =>
    entry.kind === 'chat' ? [`${entry.message.name}: ${entry.text}`] : [],
  );
}

/** The chat lines of one sender, in timeline order. */
export function linesFrom(snapshot: SessionSnapshot, name: string): string[] {
  return chatLines(snapshot).filter((line) => line.startsWith(`${name}: `));
}

/** A short, loggable view of a snapshot. */
export function summary(snapshot: SessionSnapshot): object {
  return {
    phase: snapshot.phase,
    role: snapshot.role,
    linked: snapshot.linkedToHost,
    host: snapshot.roster.hostId,
    members: snapshot.roster.members.map((m) => m.name),
    chats: chatLines(snapshot).length,
    error: snapshot.error,
  };
}
