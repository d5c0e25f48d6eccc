import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ClusterLink, LocalSeat, NodeInbox, NodeMessage } from '../cluster-link.ts';
import type { RoomView } from '../rooms.ts';
import { NodeBus } from './bus.ts';
import { RedisKeys } from './keys.ts';
import { NodePresence } from './presence.ts';
import { RedisRoomRegistry } from './registry.ts';

/** How a node uses Redis. */
export interface RedisNodeOptions {
  /** redis://[user:password@]host:port[/db] (rediss:// for TLS). */
  readonly url: string;
  /** Put before every key and channel name (several deployments may share one Redis). */
  readonly prefix: string;
  /** A node that has not renewed its heartbeat for this long is dead, and its members are taken out of their rooms. */
  readonly nodeTtlMs: number;
  /** Lifetime of a room's key (renewed while a node holds members of it). */
  readonly roomTtlMs: number;
  readonly maxMembers: number;
  readonly logger: Logger;
  /** Times each round trip to Redis, by what it was for. */
  readonly observe?: ((operation: 'room' | 'heartbeat', seconds: number) => void) | undefined;
  /** A message from another node that did not parse, or one to another node that could not be published. */
  readonly onBusFault?: ((fault: 'unparsed' | 'publish_failed') => void) | undefined;
}

/** What /healthz says about Redis. */
export interface RedisHealth {
  readonly reachable: boolean;
  /** Round trip of a PING just made, in ms; absent when unreachable. */
  readonly latencyMs?: number;
}

/** How long a /healthz PING may take before Redis counts as unreachable. */
const HEALTH_PING_TIMEOUT_MS = 1000;

/**
 * One signaling node's share of a deployment of several: its rooms registry in Redis, its pub/sub channel, its
 * heartbeat and sweep, and the link the room service uses to reach the other nodes. Three connections: commands,
 * publishes share the first; the subscription needs its own.
 */
export class RedisNode implements ClusterLink {
  readonly nodeId = randomBytes(9).toString('base64url');
  readonly registry: RedisRoomRegistry;
  readonly #options: RedisNodeOptions;
  readonly #keys: RedisKeys;
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  #bus: NodeBus | undefined;
  #presence: NodePresence | undefined;

  constructor(options: RedisNodeOptions) {
    this.#options = options;
    this.#keys = new RedisKeys(options.prefix);
    const client = (role: string): Redis => {
      const redis = new Redis(options.url, {
        lazyConnect: true,
        connectionName: `chatus-${this.nodeId}-${role}`,
        // A command waits out a short outage in the offline queue, then fails (the client hears ERR_UNAVAILABLE)
        // rather than hanging its socket's requests: reconnects are tried every 100 ms to 1 s, for good.
        maxRetriesPerRequest: 2,
        commandTimeout: 2000,
        connectTimeout: 2000,
        retryStrategy: (times) => Math.min(times * 100, 1000),
      });
      // ioredis emits an error per failed reconnect; unheard, an 'error' event would end the process.
      redis.on('error', (error: Error) => options.logger.debug({ err: error, role }, 'redis connection error'));
      return redis;
    };
    this.#redis = client('commands');
    this.#subscriber = client('subscriber');
    this.registry = new RedisRoomRegistry({
      redis: this.#redis,
      keys: this.#keys,
      nodeId: this.nodeId,
      maxMembers: options.maxMembers,
      roomTtlMs: options.roomTtlMs,
      observe: (seconds) => options.observe?.('room', seconds),
    });
  }

  /** Connects, listens on this node's channel and starts beating; `inbox` is this node's room service. Throws if Redis cannot be reached. */
  async start(inbox: NodeInbox): Promise<void> {
    const { logger } = this.#options;
    await Promise.all([this.#redis.connect(), this.#subscriber.connect()]);
    this.#bus = new NodeBus({
      publisher: this.#redis,
      subscriber: this.#subscriber,
      keys: this.#keys,
      nodeId: this.nodeId,
      onMessage: (message) => inbox.receive(message),
      onFault: (fault, error) => {
        logger.warn({ err: error, fault }, 'message between nodes lost');
        this.#options.onBusFault?.(fault);
      },
    });
    await this.#bus.start();
    this.#presence = new NodePresence({
      redis: this.#redis,
      keys: this.#keys,
      nodeId: this.nodeId,
      inbox,
      logger,
      nodeTtlMs: this.#options.nodeTtlMs,
      roomTtlMs: this.#options.roomTtlMs,
      observe: (seconds) => this.#options.observe?.('heartbeat', seconds),
    });
    // After a Redis restart, beat at once: the sooner this node is back, the sooner its members are.
    this.#redis.on('ready', () => void this.#presence?.beat());
    await this.#presence.start();
    logger.info({ node: this.nodeId }, 'joined the nodes sharing the room registry');
  }

  /**
   * Stops beating and closes the connections. `leave` (a graceful stop, after the sockets closed) deletes this node's
   * heartbeat so that whatever it still holds is swept at once rather than after NODE_TTL_MS.
   */
  async stop(leave: boolean): Promise<void> {
    await this.#presence?.stop(leave);
    await Promise.all([this.#redis.quit().catch(() => undefined), this.#subscriber.quit().catch(() => undefined)]);
  }

  /** Pings Redis now. */
  async health(): Promise<RedisHealth> {
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), HEALTH_PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.#redis.ping(), timeout]);
      return { reachable: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
    } catch {
      return { reachable: false };
    } finally {
      clearTimeout(timer);
    }
  }

  post(node: string, message: NodeMessage): void {
    this.#bus?.post(node, message);
  }

  claim(roomId: string, peerId: string): Promise<RoomView | null> {
    return this.registry.claim(roomId, peerId);
  }

  evict(roomId: string, peerId: string, node: string): Promise<RoomView | null> {
    return this.registry.evict(roomId, peerId, node);
  }

  restore(seat: LocalSeat): Promise<RoomView | null> {
    return this.registry.restore(seat);
  }
}
