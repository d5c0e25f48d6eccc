import type { ChatParts } from '../../../shared/chat-content.ts';
import { sealedBody } from '../../../shared/chat-content.ts';
import { parsePublicIdentity, type Identity } from '../../../shared/crypto/identity.ts';
import { openRoomMessage, sealRoomMessage, type PrivateRoom } from '../../../shared/crypto/private-room.ts';
import type { RandomBytes } from '../../../shared/crypto/random.ts';
import type { Attachment, MessageHeader } from '../../../shared/crypto/signing.ts';
import { toBase64url } from '../../../shared/crypto/encoding.ts';
import { fileSecretText, newFileKey, openedFile, type OpenedFile } from '../../../shared/files/sealed-file.ts';
import type { ChatBody, FileDescription } from '../../../shared/protocol/envelope.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { DirectMessages } from './direct-messages.ts';
import type { DirectTarget, SessionError } from './session-types.ts';

/** Why a message could not be read. `ERR_NOT_A_PARTY`: a DM between others (a host holds it, unread). */
export interface UnreadableError {
  readonly code: 'ERR_NOT_A_PARTY' | 'ERR_UNREADABLE';
  readonly message: string;
}

/** A message as its reader reads it: the text (a file's name for a file announcement) and the file it announces. */
export interface OpenedMessage {
  readonly text: string;
  readonly file?: OpenedFile;
}

/**
 * What this person's messages look like on the wire and how received ones are read: in an open room, text; in a
 * private room (`privateRoom` set), text sealed with the room's message key, and an open-text room message is
 * refused (nobody in a private room writes one); a direct message, sealed for its recipient (see DirectMessages).
 * Files likewise: announced in the open in an open room; in a private room or to one person, the description and
 * the file's chunk key sealed like a message (shared/files/sealed-file.ts).
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
  directBody(header: MessageHeader, to: string, recipient: string, text: string, attach?: Attachment): Result<ChatBody, SessionError> {
    const key = parsePublicIdentity(recipient);
    const sealed = key.ok ? this.#direct.seal(header, key.value, text, attach) : key;
    if (!sealed.ok) return err({ code: 'ERR_NO_KEYS' });
    return ok(sealedBody(sealed.value, to));
  }

  /**
   * The body of a file announcement with this header, and the file's chunk key (null: chunks go unsealed): in an
   * open room to everyone, the description in the open; in a private room or to one person, sealed.
   */
  fileBody(header: MessageHeader, file: FileDescription, direct?: DirectTarget): Result<{ body: ChatBody; key: Uint8Array | null }, SessionError> {
    if (this.#privateRoom === undefined && direct === undefined) return ok({ body: { file }, key: null });
    const key = newFileKey(this.#random);
    const attach = { transfer: file.transfer, size: file.size };
    const text = fileSecretText(file, key);
    if (direct !== undefined) {
      const body = this.directBody(header, direct.peerId, direct.identity, text, attach);
      return body.ok ? ok({ body: body.value, key }) : body;
    }
    return ok({ body: sealedBody(sealRoomMessage(this.#privateRoom!, header, text, this.#random, attach)), key });
  }

  /** The text of a message whose signature checked out (and the file it announces). Never throws. */
  open({ header, content }: ChatParts): Result<OpenedMessage, UnreadableError> {
    switch (content.kind) {
      case 'room':
        return this.#privateRoom === undefined ? ok({ text: content.text }) : unreadable('an unsealed message in a private room');
      case 'room-sealed': {
        if (this.#privateRoom === undefined) return unreadable('a sealed message in an open room');
        const opened = openRoomMessage(this.#privateRoom, header, content);
        return opened.ok ? withFile(opened.value, content.attach) : unreadable('it does not open with the room key');
      }
      case 'dm': {
        if (!this.#direct.isParty(header.author, content.recipient)) {
          return err({ code: 'ERR_NOT_A_PARTY', message: 'a private message between other people' });
        }
        const opened = this.#direct.open(header, content);
        return opened.ok ? withFile(opened.value, content.attach) : unreadable('the private message does not open');
      }
      case 'file': {
        // A private room's files are sealed: one announced in the open there was not written by a member's client.
        if (this.#privateRoom !== undefined) return unreadable('an unsealed file in a private room');
        const { transfer, name, size, type } = content.file;
        return ok({ text: name, file: { description: { transfer, name, size, type, sha256: toBase64url(content.file.sha256) }, key: null } });
      }
    }
  }
}

/** Opened sealed text: a message's, or with `attach` a file's description and key. */
function withFile(text: string, attach: Attachment | undefined): Result<OpenedMessage, UnreadableError> {
  if (attach === undefined) return ok({ text });
  const file = openedFile(text, attach);
  return file.ok ? ok({ text: file.value.description.name, file: file.value }) : unreadable(file.error);
}

function unreadable(message: string): Result<never, UnreadableError> {
  return err({ code: 'ERR_UNREADABLE', message });
}
