import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Why a connection was refused before the WebSocket handshake (the `reason` label). */
export type RejectReason = 'origin' | 'per_ip_cap' | 'global_cap' | 'path' | 'shutting_down';

/** Why the server closed or terminated an open socket on its own (the `reason` label). */
export type CutReason = 'join_timeout' | 'rate_limited' | 'slow_reader' | 'protocol_violation' | 'binary_frame' | 'host_silent';

/**
 * The server's Prometheus metrics, in a registry of its own (no process-wide default registry), built with
 * prom-client: it is the standard Node client, keeps the text exposition format right, and adds process metrics.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  /**
   * Open sockets and accepted messages by type, counted in plain fields and handed to prom-client when scraped: a
   * labelled `inc` hashes its labels on every call, and these two count every connection and every frame.
   */
  #openConnections = 0;
  readonly #messagesByType = new Map<string, number>();
  readonly #errors: Counter<'code'>;
  readonly #rejected: Counter<'reason'>;
  readonly #cut: Counter<'reason'>;
  readonly #lateSignals: Counter;
  readonly #redisSeconds: Histogram<'operation'>;
  readonly #crossNode: Counter<'direction'>;
  readonly #nodeMessagesLost: Counter<'reason'>;

  /**
   * `rooms` and `peers` are read when scraped; so is `redis` (a PING) when the server shares its rooms through Redis.
   */
  constructor(sample: { rooms: () => Promise<number>; peers: () => number; redis?: (() => Promise<{ reachable: boolean; latencyMs?: number }>) | undefined }) {
    const registers = [this.registry];
    const metrics = this;
    new Gauge({
      name: 'chatus_connections',
      help: 'Open signaling sockets.',
      registers,
      collect() {
        this.set(metrics.#openConnections);
      },
    });
    new Gauge({
      name: 'chatus_rooms',
      help: 'Rooms with at least one member.',
      registers,
      async collect() {
        this.set(await sample.rooms());
      },
    });
    new Gauge({
      name: 'chatus_peers',
      help: 'Peers joined to a room on this process.',
      registers,
      collect() {
        this.set(sample.peers());
      },
    });
    const messagesByType = this.#messagesByType;
    new Counter({
      name: 'chatus_messages_total',
      help: 'Client messages accepted, by type.',
      labelNames: ['type'],
      registers,
      collect() {
        for (const [type, count] of messagesByType) this.inc({ type }, count);
        messagesByType.clear();
      },
    });
    this.#errors = new Counter({ name: 'chatus_errors_total', help: 'Errors sent to clients, by code.', labelNames: ['code'], registers });
    this.#rejected = new Counter({
      name: 'chatus_rejected_connections_total',
      help: 'Connections refused before the handshake, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.#cut = new Counter({
      name: 'chatus_connections_cut_total',
      help: 'Open sockets the server closed on its own, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.#lateSignals = new Counter({
      name: 'chatus_late_signals_total',
      help: 'Signals dropped without an answer: their target had just left the room or changed role.',
      registers,
    });
    this.#redisSeconds = new Histogram({
      name: 'chatus_redis_seconds',
      help: 'Round trips to Redis: room reads and changes (one compare-and-set attempt each), and heartbeats.',
      labelNames: ['operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.#crossNode = new Counter({
      name: 'chatus_cross_node_signals_total',
      help: 'Signals to or from a member whose socket is on another node, through Redis.',
      labelNames: ['direction'],
      registers,
    });
    this.#nodeMessagesLost = new Counter({
      name: 'chatus_node_messages_lost_total',
      help: 'Messages between nodes that could not be published, or arrived unreadable.',
      labelNames: ['reason'],
      registers,
    });
    const redis = sample.redis;
    if (redis) {
      // Both gauges come from one PING per scrape (prom-client collects every metric at once).
      let ping: Promise<{ reachable: boolean; latencyMs?: number }> | undefined;
      const health = (): Promise<{ reachable: boolean; latencyMs?: number }> => {
        ping ??= redis().finally(() => {
          ping = undefined;
        });
        return ping;
      };
      new Gauge({
        name: 'chatus_redis_up',
        help: '1 when Redis answered a PING at scrape time.',
        registers,
        async collect() {
          this.set((await health()).reachable ? 1 : 0);
        },
      });
      new Gauge({
        name: 'chatus_redis_ping_seconds',
        help: 'Round trip of a PING to Redis made at scrape time (absent while Redis is unreachable).',
        registers,
        async collect() {
          const { latencyMs } = await health();
          if (latencyMs === undefined) this.reset();
          else this.set(latencyMs / 1000);
        },
      });
    }
    collectDefaultMetrics({ register: this.registry, prefix: 'chatus_' });
  }

  connectionOpened(): void {
    this.#openConnections++;
  }

  connectionClosed(): void {
    this.#openConnections--;
  }

  message(type: string): void {
    this.#messagesByType.set(type, (this.#messagesByType.get(type) ?? 0) + 1);
  }

  error(code: string): void {
    this.#errors.inc({ code });
  }

  rejected(reason: RejectReason): void {
    this.#rejected.inc({ reason });
  }

  /** The server closed an open socket for `reason`. */
  cut(reason: CutReason): void {
    this.#cut.inc({ reason });
  }

  /** A signal crossed a roster change (its target just left or changed role) and was dropped. */
  lateSignal(): void {
    this.#lateSignals.inc();
  }

  /** One round trip to Redis took `seconds`. */
  redisRoundTrip(operation: 'room' | 'heartbeat', seconds: number): void {
    this.#redisSeconds.observe({ operation }, seconds);
  }

  /** A signal went to another node, or came from one. */
  crossNodeSignal(direction: 'sent' | 'received'): void {
    this.#crossNode.inc({ direction });
  }

  /** A message between nodes was lost. */
  nodeMessageLost(reason: 'unparsed' | 'publish_failed'): void {
    this.#nodeMessagesLost.inc({ reason });
  }

  /** The Prometheus text exposition. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
