import { copyBody } from './chat-content.ts';
import type { ChatCheckError } from './chat-signature.ts';
import { ErrorCode } from './errors.ts';
import { isDirectBody, type DeliveredChat, type OutgoingChat } from './protocol/envelope.ts';
import { err, ok, type Result } from './result.ts';
import type { RosterEntry } from './protocol/server-message.ts';

/** What the host does with one chat message a member sent or forwarded. */
export interface RelayDecision {
  /** The envelope to deliver: a new object built from the checked fields, never the received one. */
  readonly delivered: DeliveredChat;
  /**
   * The peers that get `delivered`: every linked member except the one it came from and its author; for a direct
   * message, only the linked peers the roster gives the recipient's key (see {@link deliveryTargets}).
   */
  readonly recipients: readonly string[];
  /** The id to acknowledge to the sender (the host batches acknowledgements); none for a forwarded message. */
  readonly acknowledge: string | null;
}

/** Why the host refused to relay. */
export interface RelayRefusal {
  readonly code: ErrorCode;
  readonly message: string;
}

/** The inputs of a relay decision. */
export interface RelayInput {
  /** The peer id of the link the message arrived on (authenticated by the signaling server's `from`). */
  readonly linkPeerId: string;
  /** The roster's entry for the message's `from`; undefined when that peer is not in the roster. */
  readonly author: RosterEntry | undefined;
  /** Peers the host currently has an open link to. */
  readonly linkedPeers: Iterable<string>;
  /** The roster's members, whose keys say who a direct message's recipient is now. */
  readonly members: readonly RosterEntry[];
  /** The message as parsed from the link. */
  readonly message: OutgoingChat;
  /** Whether the message's signature checks out under its `author` key. */
  readonly signature: Result<unknown, ChatCheckError>;
  /** Set when a member hands on someone else's message: the name it was delivered under. */
  readonly forwardedName?: string | undefined;
}

/**
 * The host's relay decision as a pure function: who gets a message and what the sender gets back. A member speaks
 * for itself (`from` is its link) or hands on a message someone else signed; either way the signature must check
 * out, and when the author is in the roster its key must be the roster's. One member cannot speak for another.
 * A direct message goes only to its recipient, found by key, and cannot be addressed to its own author.
 */
export function decideChatRelay(input: RelayInput): Result<RelayDecision, RelayRefusal> {
  const { linkPeerId, author, message, forwardedName } = input;
  const own = forwardedName === undefined;
  if (own && message.from !== linkPeerId) {
    return err({ code: ErrorCode.BadMessage, message: 'from does not match the sending peer' });
  }
  if (!own && message.from === linkPeerId) {
    return err({ code: ErrorCode.BadMessage, message: 'a member sends its own messages as chat, not forward' });
  }
  if (own && author === undefined) return err({ code: ErrorCode.NotJoined, message: 'sender is not in the room' });
  if (!input.signature.ok) return err({ code: ErrorCode.BadSignature, message: input.signature.error.message });
  if (author?.identity !== undefined && author.identity !== message.author) {
    return err({ code: ErrorCode.BadSignature, message: "the message's key is not its author's" });
  }
  if (isDirectBody(message.body) && message.body.recipient === message.author) {
    return err({ code: ErrorCode.BadMessage, message: 'a private message must be for someone else' });
  }
  const delivered: DeliveredChat = {
    v: message.v,
    type: 'chat',
    id: message.id,
    from: message.from,
    name: author?.name ?? forwardedName ?? '',
    seq: message.seq,
    ts: message.ts,
    body: copyBody(message.body),
    author: message.author,
    sig: message.sig,
  };
  const recipients = deliveryTargets(delivered, input.members, input.linkedPeers, [linkPeerId, message.from]);
  return ok({ delivered, recipients, acknowledge: own ? message.id : null });
}

/**
 * The linked peers that get `chat`, but none of `except`: everyone for a room message; for a direct message, the
 * peers whose roster key is its recipient's (matched by key, not by the `to` peer id, which changes on reload).
 */
export function deliveryTargets(
  chat: OutgoingChat,
  members: readonly RosterEntry[],
  linkedPeers: Iterable<string>,
  except: readonly string[],
): string[] {
  const keys = new Map(members.map((member) => [member.id, member.identity] as const));
  return [...linkedPeers].filter((peer) => !except.includes(peer) && mayReceive(chat, keys.get(peer)));
}

/**
 * Whether whoever holds the key `identity` may be handed `chat` (live or as history): any room message; a direct
 * message only by its author or its recipient.
 */
export function mayReceive(chat: OutgoingChat, identity: string | undefined): boolean {
  if (!isDirectBody(chat.body)) return true;
  return identity !== undefined && (identity === chat.author || identity === chat.body.recipient);
}
