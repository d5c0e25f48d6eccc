import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { NodeInbox } from '../cluster-link.ts';
import { parseSeat, type RedisKeys } from './keys.ts';

/** Seats of a dead node taken out at once (each costs a few round trips). */
const SWEEP_BATCH = 32;

/** What a node's presence needs. */
export interface NodePresenceOptions {
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly nodeId: string;
  readonly inbox: NodeInbox;
  readonly logger: Logger;
  /** A node whose heartbeat key is this old is dead: its seats are swept. */
  readonly nodeTtlMs: number;
  /** Lifetime of room keys, renewed a third of it at a time for the rooms with members here. */
  readonly roomTtlMs: number;
  /** Times each heartbeat's round trip. */
  readonly observe?: ((seconds: number) => void) | undefined;
}

/**
 * A node's life in Redis. Every fifth of NODE_TTL_MS it renews its heartbeat key (which expires NODE_TTL_MS after
 * the last renewal) and looks for nodes whose key has expired: their seats are taken out of their rooms, so a node
 * killed without a word costs its members their seats within NODE_TTL_MS and one more beat, and rooms whose host was
 * there elect a host among the members left. A heartbeat that finds its own key gone (Redis restarted empty, or this
 * node stalled past its lifetime and was swept) puts every live socket of this node back into its room.
 */
export class NodePresence {
  readonly #options: NodePresenceOptions;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastRoomRenewal = 0;
  #beating = false;
  readonly #running = new Set<'restore' | 'sweep' | 'renew'>();
  #restoreAgain = false;
  /** The first heartbeat finds no key of its own, and has nothing to put back. */
  #announced = false;
  #reachable = false;

  constructor(options: NodePresenceOptions) {
    this.#options = options;
  }

  /** Whether the last heartbeat reached Redis. */
  get reachable(): boolean {
    return this.#reachable;
  }

  /** Beats once, then every fifth of the node lifetime. */
  async start(): Promise<void> {
    await this.beat();
    this.#timer = setInterval(() => void this.beat(), Math.max(50, Math.floor(this.#options.nodeTtlMs / 5)));
    this.#timer.unref();
  }

  /** Stops beating; `leave` also deletes this node's heartbeat so that others sweep what it still holds at once. */
  async stop(leave: boolean): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (leave) await this.#options.redis.del(this.#options.keys.node(this.#options.nodeId)).catch(() => 0);
  }

  /**
   * One heartbeat: renew this node's key, then (without holding up the next beat) put members back if the key was
   * gone, sweep dead nodes, and renew room keys when due. Never throws.
   */
  async beat(): Promise<void> {
    if (this.#beating) return;
    this.#beating = true;
    try {
      const forgotten = await this.#renew();
      this.#reachable = true;
      if (forgotten && this.#announced) this.#background('restore', () => this.#restore());
      this.#announced = true;
      this.#background('sweep', () => this.#sweep());
      if (Date.now() - this.#lastRoomRenewal >= this.#options.roomTtlMs / 3) this.#background('renew', () => this.#renewRooms());
    } catch (error) {
      this.#reachable = false;
      this.#options.logger.warn({ err: error }, 'heartbeat to the room registry failed');
    } finally {
      this.#beating = false;
    }
  }

  /**
   * Runs one task of a kind at a time beside the heartbeat; a restore asked for while one runs runs again after it
   * (the key may have been lost again meanwhile). A long sweep or restore must not stop the beats: the node would be
   * taken for dead itself.
   */
  #background(kind: 'restore' | 'sweep' | 'renew', task: () => Promise<void>): void {
    if (this.#running.has(kind)) {
      if (kind === 'restore') this.#restoreAgain = true;
      return;
    }
    this.#running.add(kind);
    task()
      .catch((error: unknown) => this.#options.logger.warn({ err: error, task: kind }, 'room registry upkeep failed'))
      .finally(() => {
        this.#running.delete(kind);
        if (kind === 'restore' && this.#restoreAgain) {
          this.#restoreAgain = false;
          this.#background('restore', task);
        }
      });
  }

  async #restore(): Promise<void> {
    this.#options.logger.warn('the room registry had forgotten this node: putting its members back');
    await this.#options.inbox.reRegister();
  }

  /** Renews this node's key; true when it was missing. */
  async #renew(): Promise<boolean> {
    const { redis, keys, nodeId, nodeTtlMs, roomTtlMs } = this.#options;
    const started = performance.now();
    const [renewed] = (await redis
      .multi()
      .set(keys.node(nodeId), String(Date.now()), 'PX', nodeTtlMs, 'GET')
      .sadd(keys.nodes, nodeId)
      .pexpire(keys.nodes, roomTtlMs)
      .exec()) ?? [[new Error('transaction discarded'), null]];
    this.#options.observe?.((performance.now() - started) / 1000);
    if (renewed?.[0]) throw renewed[0];
    return renewed?.[1] === null;
  }

  /** Takes every seat of every dead node out of its room. Several nodes may sweep one node: each removal is conditional. */
  async #sweep(): Promise<void> {
    const { redis, keys, nodeId, inbox, logger } = this.#options;
    const others = (await redis.smembers(keys.nodes)).filter((node) => node !== nodeId);
    if (others.length === 0) return;
    const alive = await Promise.all(others.map((node) => redis.exists(keys.node(node))));
    for (const [index, node] of others.entries()) {
      if (alive[index] === 1) continue;
      const seats = await redis.smembers(keys.seats(node));
      logger.info({ node, seats: seats.length }, 'sweeping a node that stopped beating');
      for (let start = 0; start < seats.length; start += SWEEP_BATCH) {
        const batch = seats.slice(start, start + SWEEP_BATCH).map(parseSeat);
        await Promise.all(batch.map((seat) => (seat ? inbox.evict(seat.roomId, seat.peerId, node) : undefined)));
      }
      // Only once its seats are out: a sweep cut short is taken up again by the next beat.
      await redis.multi().del(keys.seats(node)).srem(keys.nodes, node).exec();
    }
  }

  /** Renews the keys of the rooms with members here, and this node's seat set. */
  async #renewRooms(): Promise<void> {
    const { redis, keys, nodeId, inbox, roomTtlMs } = this.#options;
    const pipeline = redis.pipeline().pexpire(keys.seats(nodeId), roomTtlMs);
    const expires = Date.now() + roomTtlMs;
    for (const roomId of inbox.localRooms()) pipeline.pexpire(keys.room(roomId), roomTtlMs).zadd(keys.rooms, 'XX', expires, roomId);
    pipeline.zremrangebyscore(keys.rooms, '-inf', Date.now());
    await pipeline.exec();
    this.#lastRoomRenewal = Date.now();
  }
}
