import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../shared/limits.ts';
import { parseServerMessage } from '../../../shared/protocol/server-message.ts';
import { helloFrame, WelcomeFrames, type SharedWelcomeFields } from '../../../signaling/server-frames.ts';

/** The message a frame parses to with the client's own parser. */
function read(frame: string): unknown {
  const parsed = parseServerMessage(frame);
  if (!parsed.ok) throw new Error(`${parsed.error.code}: ${parsed.error.message}`);
  return parsed.value;
}

const challenge = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
const token = 'x9Qf7Zr3b-_0LkAp2sVvW4Ecn8mHdTgYuJ1oI6yKq5M';

describe('server frames', () => {
  it('hello parses to the hello of its challenge', () => {
    expect(read(helloFrame(challenge))).toEqual({ type: 'hello', v: PROTOCOL_VERSION, challenge });
  });

  it.each<[string, SharedWelcomeFields]>([
    ['no options', { iceServers: [] }],
    ['all options', { iceServers: [{ urls: ['stun:stun.example.invalid:3478'] }, { urls: 'turn:turn.example.invalid', username: 'u"s\\er', credential: 'p' }], shareUrl: 'http://192.168.1.20:8080/', maxFileBytes: 5_000_000 }],
    ['a share URL alone', { iceServers: [], shareUrl: 'https://chat.example.invalid/' }],
  ])('welcome parses to the message of its fields (%s)', (_, shared) => {
    const frame = new WelcomeFrames(shared).frame('p_Q3-x', 'room-1_A', token);
    expect(read(frame)).toEqual({ type: 'welcome', v: PROTOCOL_VERSION, peerId: 'p_Q3-x', room: 'room-1_A', resumeToken: token, ...shared });
  });
});
