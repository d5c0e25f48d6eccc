import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RoomSession } from '../../../web/src/net/room-session.ts';
import type { WebSocketLike } from '../../../web/src/net/signaling-client.ts';

/** A signaling socket the test plays the server of: it records what the page sends and delivers what the test says. */
class ScriptedSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: Record<string, unknown>[] = [];

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(): void {
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  deliver(message: object): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

describe('the page answers the server\'s ping', () => {
  let socket: ScriptedSocket;
  let session: RoomSession;
  beforeEach(() => {
    // No timer ever runs in this test: as in a background tab whose timers are throttled, the answer must not need one.
    vi.useFakeTimers();
    socket = new ScriptedSocket();
    let ids = 0;
    const deps = { createSocket: () => socket, randomId: () => `id-${++ids}`, now: () => Date.now() };
    session = new RoomSession({ url: 'ws://127.0.0.1:1/ws', room: 'r1', name: 'Ann' }, deps);
  });
  afterEach(() => {
    session.leave();
    vi.useRealTimers();
  });

  it('says so in its join, and answers each ping at once from its message handler', async () => {
    const joined = session.join();
    socket.open();
    expect(socket.sent[0]).toMatchObject({ type: 'join', answersPing: true });
    socket.deliver({ type: 'welcome', v: 1, peerId: 'p1', room: 'r1', iceServers: [], resumeToken: 't' });
    await joined;
    for (let i = 1; i <= 3; i++) {
      socket.deliver({ type: 'ping' });
      expect(socket.sent.filter((m) => m['type'] === 'pong')).toHaveLength(i);
    }
  });
});
