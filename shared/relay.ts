import { ErrorCode } from './errors.ts';
import type { DeliveredChat, OutgoingChat } from './protocol/envelope.ts';
import { err, ok, type Result } from './result.ts';

/** What the host does with one chat message a member sent. */
export interface RelayDecision {
  /** The envelope to deliver: a new object built from the checked fields, never the received one. */
  readonly delivered: DeliveredChat;
  /** The peers that get `delivered`: every linked member except the sender. */
  readonly recipients: readonly string[];
  /** The id to acknowledge to the sender (the host batches acknowledgements). */
  readonly acknowledge: string;
}

/** Why the host refused to relay. */
export interface RelayRefusal {
  readonly code: string;
  readonly message: string;
}

/** The inputs of a relay decision. */
export interface RelayInput {
  /** The peer id of the link the message arrived on (authenticated by the signaling server's `from`). */
  readonly linkPeerId: string;
  /** The sender's name as the current roster has it; undefined when the sender is not in the roster. */
  readonly senderName: string | undefined;
  /** Peers the host currently has an open link to. */
  readonly linkedPeers: Iterable<string>;
  /** The message as parsed from the link. */
  readonly message: OutgoingChat;
}

/**
 * The host's relay decision as a pure function: who gets a member's chat message and what the sender gets back.
 * A message whose `from` is not the link it came on is refused: one member cannot speak for another.
 */
export function decideChatRelay(input: RelayInput): Result<RelayDecision, RelayRefusal> {
  const { linkPeerId, senderName, message } = input;
  if (message.from !== linkPeerId) {
    return err({ code: ErrorCode.BadMessage, message: 'from does not match the sending peer' });
  }
  if (senderName === undefined) {
    return err({ code: ErrorCode.NotJoined, message: 'sender is not in the room' });
  }
  const delivered: DeliveredChat = {
    v: message.v,
    type: 'chat',
    id: message.id,
    from: linkPeerId,
    name: senderName,
    seq: message.seq,
    ts: message.ts,
    body: { text: message.body.text },
  };
  const recipients = [...input.linkedPeers].filter((peer) => peer !== linkPeerId);
  return ok({ delivered, recipients, acknowledge: message.id });
}
