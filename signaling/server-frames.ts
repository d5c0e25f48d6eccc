import { PROTOCOL_VERSION } from '../shared/limits.ts';
import type { HelloMessage, WelcomeMessage } from '../shared/protocol/server-message.ts';

/**
 * The text of the frames every join sends, made without building and serializing a message object each time: a join
 * is mostly system calls, and of the rest, each object made and serialized per join showed in the server's profile.
 * Each frame parses to the very message the typed fields make (the unit tests check it against the client's parser).
 */

/** `hello` for one connection's challenge. */
export function helloFrame(challenge: HelloMessage['challenge']): string {
  return `{"type":"hello","v":${PROTOCOL_VERSION},"challenge":${JSON.stringify(challenge)}}`;
}

/** The fields that every `welcome` of one server carries alike. */
export type SharedWelcomeFields = Pick<WelcomeMessage, 'iceServers' | 'shareUrl' | 'maxFileBytes'>;

/** `welcome` frames of one server: the fields all of them share are serialized once, when the server starts. */
export class WelcomeFrames {
  /** `"iceServers":[…],…}`: the shared fields and the closing brace. */
  readonly #tail: string;

  constructor(shared: SharedWelcomeFields) {
    // Only the fields present, in a fixed order (JSON.stringify leaves out undefined ones).
    const { iceServers, shareUrl, maxFileBytes } = shared;
    this.#tail = JSON.stringify({ iceServers, shareUrl, maxFileBytes }).slice(1);
  }

  /** The `welcome` of one join. */
  frame(peerId: WelcomeMessage['peerId'], room: WelcomeMessage['room'], resumeToken: WelcomeMessage['resumeToken']): string {
    const head = `{"type":"welcome","v":${PROTOCOL_VERSION},"peerId":${JSON.stringify(peerId)},"room":${JSON.stringify(room)}`;
    return `${head},"resumeToken":${JSON.stringify(resumeToken)},${this.#tail}`;
  }
}
