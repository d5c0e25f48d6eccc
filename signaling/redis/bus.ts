import type { Redis } from 'ioredis';
import * as v from 'valibot';
import { PeerId, RoomId, WireSignalData } from '../../shared/protocol/fields.ts';
import { RosterEntry } from '../../shared/protocol/server-message.ts';
import { MAX_ROOM_MEMBERS } from '../../shared/limits.ts';
import type { NodeMessage } from '../cluster-link.ts';
import type { RedisKeys } from './keys.ts';

/** The one parser of what arrives from other nodes: they are other processes, perhaps of another version. */
const NodeMessageSchema = v.variant('kind', [
  v.object({ kind: v.literal('signal'), to: PeerId, from: PeerId, data: WireSignalData }),
  v.object({
    kind: v.literal('roster'),
    room: RoomId,
    version: v.pipe(v.number(), v.integer(), v.minValue(0)),
    hostId: v.nullable(PeerId),
    members: v.pipe(v.array(RosterEntry), v.maxLength(MAX_ROOM_MEMBERS)),
  }),
  v.object({ kind: v.literal('supersede'), peer: PeerId }),
  v.object({ kind: v.literal('probe'), peer: PeerId }),
]);

/** Raw pub/sub text in, a node message or null out; never throws. */
export function parseNodeMessage(raw: string): NodeMessage | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = v.safeParse(NodeMessageSchema, json);
  return parsed.success ? parsed.output : null;
}

/** What the bus needs. */
export interface NodeBusOptions {
  /** Publishes (any client in normal mode). */
  readonly publisher: Redis;
  /** Listens: a client of its own, since a subscribed client can do nothing else. */
  readonly subscriber: Redis;
  readonly keys: RedisKeys;
  readonly nodeId: string;
  readonly onMessage: (message: NodeMessage) => void;
  /** A message that did not parse, or a publish that failed. */
  readonly onFault: (fault: 'unparsed' | 'publish_failed', error?: unknown) => void;
}

/**
 * Messages between nodes over Redis pub/sub, one channel per node: a node publishes to the channel of the node that
 * holds the socket. One publisher connection keeps a node's messages to another in the order they were sent (an offer
 * before its candidates). Pub/sub delivers at most once: a message published while a node is away is lost, which the
 * clients' own retries cover (a member re-offers, and every roster change is announced whole). ioredis re-subscribes
 * by itself after a reconnect.
 */
export class NodeBus {
  readonly #options: NodeBusOptions;
  readonly #channel: string;

  constructor(options: NodeBusOptions) {
    this.#options = options;
    this.#channel = options.keys.channel(options.nodeId);
    options.subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.#channel) return;
      const message = parseNodeMessage(raw);
      if (message) options.onMessage(message);
      else options.onFault('unparsed');
    });
  }

  /** Starts listening on this node's channel. */
  async start(): Promise<void> {
    await this.#options.subscriber.subscribe(this.#channel);
  }

  /** Publishes one message to `node`'s channel. Fire and forget. */
  post(node: string, message: NodeMessage): void {
    this.#options.publisher.publish(this.#options.keys.channel(node), JSON.stringify(message)).catch((error: unknown) => {
      this.#options.onFault('publish_failed', error);
    });
  }
}
