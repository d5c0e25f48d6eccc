import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../../../shared/protocol/server-message.ts';
import { isRosterFrame, NewestRoster } from '../../../web/src/net/newest-roster.ts';
import { SignalingClient, type WebSocketLike } from '../../../web/src/net/signaling-client.ts';

/** A roster frame as the server writes it. */
const roster = (...ids: string[]): string =>
  JSON.stringify({ type: 'roster', hostId: ids[0], members: ids.map((id) => ({ id, name: id.toUpperCase() })) });
const signal = (from: string): string => JSON.stringify({ type: 'signal', from, data: { type: 'answer', sdp: 'v=0' } });

/** A NewestRoster whose deferred runs wait for `runDeferred`, reading into `read`. */
function newestRoster(): { rosters: NewestRoster; read: string[]; runDeferred: () => void } {
  const deferred: (() => void)[] = [];
  const read: string[] = [];
  const rosters = new NewestRoster((run) => deferred.push(run), (raw) => read.push(raw));
  return { rosters, read, runDeferred: () => deferred.splice(0).forEach((run) => run()) };
}

describe('NewestRoster', () => {
  it('tells roster frames from the others by how the server writes them', () => {
    expect(isRosterFrame(roster('a'))).toBe(true);
    expect(isRosterFrame(signal('a'))).toBe(false);
    expect(isRosterFrame('{"hostId":"a","type":"roster","members":[]}')).toBe(false);
  });

  it('reads only the newest of rosters that come back to back, once the task is over', () => {
    const { rosters, read, runDeferred } = newestRoster();
    rosters.hold(roster('a'));
    rosters.hold(roster('a', 'b'));
    rosters.hold(roster('a', 'b', 'c'));
    expect(read).toEqual([]);
    runDeferred();
    expect(read).toEqual([roster('a', 'b', 'c')]);
    runDeferred();
    expect(read).toHaveLength(1);
  });

  it('reads a held roster before anything after it, and again holds the rosters after that', () => {
    const { rosters, read, runDeferred } = newestRoster();
    rosters.hold(roster('a', 'b'));
    rosters.flush();
    read.push(signal('b'));
    rosters.hold(roster('a', 'b', 'c'));
    rosters.hold(roster('a', 'c'));
    runDeferred();
    expect(read).toEqual([roster('a', 'b'), signal('b'), roster('a', 'c')]);
  });

  it('reads nothing it dropped', () => {
    const { rosters, read, runDeferred } = newestRoster();
    rosters.hold(roster('a'));
    rosters.drop();
    runDeferred();
    rosters.flush();
    expect(read).toEqual([]);
  });
});

describe('SignalingClient with rosters back to back', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers every other frame in order and, of each run of rosters, the newest', () => {
    vi.useFakeTimers();
    const socket: WebSocketLike = { readyState: 1, onopen: null, onmessage: null, onclose: null, onerror: null, send: () => undefined, close: () => undefined };
    const client = new SignalingClient('ws://127.0.0.1:1/ws', () => socket);
    const seen: ServerMessage[] = [];
    client.on('message', (message) => seen.push(message));
    for (const frame of [roster('a'), roster('a', 'b'), signal('a'), roster('a', 'b', 'c'), roster('a', 'b', 'c', 'd')]) socket.onmessage?.({ data: frame });
    expect(seen.map((message) => message.type)).toEqual(['roster', 'signal']);
    vi.runAllTimers();
    const members = seen.map((message) => (message.type === 'roster' ? message.members.map((member) => member.id).join('') : message.type));
    expect(members).toEqual(['ab', 'signal', 'abcd']);
  });

  it('delivers a held roster before the socket closes', () => {
    const socket: WebSocketLike = { readyState: 1, onopen: null, onmessage: null, onclose: null, onerror: null, send: () => undefined, close: () => undefined };
    const client = new SignalingClient('ws://127.0.0.1:1/ws', () => socket);
    const seen: string[] = [];
    client.on('message', (message) => seen.push(message.type));
    client.on('close', () => seen.push('close'));
    socket.onmessage?.({ data: roster('a', 'b') });
    socket.onclose?.({ code: 1006, reason: '' });
    expect(seen).toEqual(['roster', 'close']);
  });
});
