import { describe, expect, it } from 'vitest';
import { ServerSocket } from '../../../signaling/server-socket.ts';

const make = (): ServerSocket => new ServerSocket(null as unknown as string, undefined, {});

describe('ServerSocket', () => {
  it('adds, calls and removes listeners as any emitter does, with no listener before the first', () => {
    const socket = make();
    expect(socket.listenerCount('message')).toBe(0);
    expect(socket.eventNames().filter((name) => socket.listenerCount(name) > 0)).toEqual([]);
    const heard: unknown[] = [];
    const listener = (data: unknown): void => void heard.push(data);
    socket.on('message', listener);
    socket.once('pong', listener);
    expect(socket.emit('message', 'a')).toBe(true);
    expect(socket.emit('pong', 'b')).toBe(true);
    expect(socket.emit('pong', 'c')).toBe(false);
    socket.off('message', listener);
    expect(socket.emit('message', 'd')).toBe(false);
    expect(heard).toEqual(['a', 'b']);
  });

  it('finds no inherited property under an event name', () => {
    const socket = make();
    expect(socket.emit('toString')).toBe(false);
    expect(socket.emit('constructor')).toBe(false);
    expect(socket.listenerCount('hasOwnProperty')).toBe(0);
  });

  it('shares one empty extensions object among all sockets', () => {
    const extensions = (socket: ServerSocket): unknown => (socket as unknown as { _extensions: unknown })._extensions;
    const a = make();
    expect(extensions(a)).toBe(extensions(make()));
    expect(a.extensions).toBe('');
  });
});
