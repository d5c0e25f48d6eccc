import { describe, expect, it } from 'vitest';
import { inviteLink, isLoopback, readInvite } from '../../../web/src/app/invite.ts';
import { signalingUrl } from '../../../web/src/net/signaling-client.ts';

describe('invite links', () => {
  it('use the page origin when the page is not on loopback', () => {
    const link = inviteLink(new URL('http://192.168.1.20:8080/'), { server: '192.168.1.20:8080', room: 'abc' }, 'http://10.0.0.1:8080/');
    expect(link.href).toBe('http://192.168.1.20:8080/?server=192.168.1.20%3A8080&room=abc');
  });

  it('use the server’s shareable address when the page and server are on localhost', () => {
    const link = inviteLink(new URL('http://localhost:8080/?x=1'), { server: 'localhost:8080', room: 'abc' }, 'http://192.168.1.20:8080/');
    expect(link.href).toBe('http://192.168.1.20:8080/?server=192.168.1.20%3A8080&room=abc');
  });

  it('stay on localhost when the server knows no other address', () => {
    const link = inviteLink(new URL('http://127.0.0.1:9/'), { server: '127.0.0.1:9', room: 'r' }, undefined);
    expect(link.href).toBe('http://127.0.0.1:9/?server=127.0.0.1%3A9&room=r');
  });

  it('are read back into server and room, defaulting the server to the page host', () => {
    expect(readInvite(new URL('http://h:1/?server=s%3A2&room=r'))).toEqual({ server: 's:2', room: 'r' });
    expect(readInvite(new URL('http://h:1/'))).toEqual({ server: 'h:1', room: '' });
  });

  it.each([['localhost'], ['127.0.0.1'], ['127.5.5.5'], ['[::1]']])('treat %s as loopback', (host) => {
    expect(isLoopback(host)).toBe(true);
  });
  it('do not treat a LAN address as loopback', () => expect(isLoopback('192.168.1.2')).toBe(false));
});

describe('signalingUrl', () => {
  it.each([
    ['h:8080', false, 'ws://h:8080/ws'],
    ['h:8080', true, 'wss://h:8080/ws'],
    ['http://h:1/x?y', false, 'ws://h:1/ws'],
    ['https://h', false, 'wss://h/ws'],
    ['[::1]:8080', false, 'ws://[::1]:8080/ws'],
  ])('turns %s (secure page: %s) into %s', (server, secure, expected) => {
    expect(signalingUrl(server, secure).href).toBe(expected);
  });
  it('refuses other schemes', () => expect(() => signalingUrl('ftp://h', false)).toThrow(TypeError));
});
