import type { ChatParts } from '../../../shared/chat-content.ts';
import { sealedBody } from '../../../shared/chat-content.ts';
import { parsePublicIdentity, type Identity } from '../../../shared/crypto/identity.ts';
import { openRoomMessage, sealRoomMessage, type PrivateRoom } from '../../../shared/crypto/private-room.ts';
import type { RandomBytes } from '../../../shared/crypto/random.ts';
import type { MessageHeader } from '../../../shared/crypto/signing.ts';
import type { ChatBody } from '../../../shared/protocol/envelope.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { DirectMessages } from './direct-messages.ts';
import type { SessionError } from './session-types.ts';

/** Why a message could not be read. `ERR_NOT_A_PARTY`: a DM between others (a host holds it, unread). */
export interface UnreadableError {
  readonly code: 'ERR_NOT_A_PARTY' | 'ERR_UNREADABLE';
  readonly message: string;
}

/**
 * What this person's messages look like on the wire and how received ones are read: in an open room, text; in a
 * private room (`privateRoom` set), text sealed with the room's message key, and an open-text room message is
 * refused (nobody in a private room writes one); a direct message, sealed for its recipient (see DirectMessages).
 */
export class MessageSealing {
  readonly #privateRoom: PrivateRoom | undefined;
  readonly #random: RandomBytes;
  readonly #direct: DirectMessages;

  /** Throws when `privateRoom` is set and is not the room `room` (caller misuse). */
  constructor(identity: Identity, room: string, privateRoom: PrivateRoom | undefined, random: RandomBytes) {
    if (privateRoom !== undefined && privateRoom.roomId !== room) throw new Error('the room is not the private room’s id');
    this.#privateRoom = privateRoom;
    this.#random = random;
    this.#direct = new DirectMessages(identity, random);
  }

  /** The body of a room message with this header: open text, or sealed in a private room. */
  roomBody(header: MessageHeader, text: string): ChatBody {
    if (this.#privateRoom === undefined) return { text };
    return sealedBody(sealRoomMessage(this.#privateRoom, header, text, this.#random));
  }

  /** The body of a DM for the person with public identity `recipient` (peer id `to` now); an error for a bad key. */
  directBody(header: MessageHeader, to: string, recipient: string, text: string): Result<ChatBody, SessionError> {
    const key = parsePublicIdentity(recipient);
    const sealed = key.ok ? this.#direct.seal(header, key.value, text) : key;
    if (!sealed.ok) return err({ code: 'ERR_NO_RECIPIENT', message: 'their keys cannot receive private messages' });
    return ok(sealedBody(sealed.value, to));
  }

  /** The text of a message whose signature checked out. Never throws. */
  open({ header, content }: ChatParts): Result<string, UnreadableError> {
    switch (content.kind) {
      case 'room':
        return this.#privateRoom === undefined ? ok(content.text) : unreadable('an unsealed message in a private room');
      case 'room-sealed': {
        if (this.#privateRoom === undefined) return unreadable('a sealed message in an open room');
        const opened = openRoomMessage(this.#privateRoom, header, content);
        return opened.ok ? opened : unreadable('it does not open with the room key');
      }
      case 'dm': {
        if (!this.#direct.isParty(header.author, content.recipient)) {
          return err({ code: 'ERR_NOT_A_PARTY', message: 'a private message between other people' });
        }
        const opened = this.#direct.open(header, content);
        return opened.ok ? opened : unreadable('the private message does not open');
      }
      case 'file':
        // Files are announced in open rooms only for now: a private room's would have to be sealed (docs/protocol.md).
        return this.#privateRoom === undefined ? ok(content.file.name) : unreadable('an unsealed file in a private room');
    }
  }
}

function unreadable(message: string): Result<never, UnreadableError> {
  return err({ code: 'ERR_UNREADABLE', message });
}
