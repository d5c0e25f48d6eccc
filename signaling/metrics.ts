import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

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
  readonly #connections: Gauge;
  readonly #messages: Counter<'type'>;
  readonly #errors: Counter<'code'>;
  readonly #rejected: Counter<'reason'>;
  readonly #cut: Counter<'reason'>;
  readonly #lateSignals: Counter;

  /** `rooms` and `peers` are read when scraped. */
  constructor(sample: { rooms: () => Promise<number>; peers: () => number }) {
    const registers = [this.registry];
    this.#connections = new Gauge({ name: 'chatus_connections', help: 'Open signaling sockets.', registers });
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
    this.#messages = new Counter({ name: 'chatus_messages_total', help: 'Client messages accepted, by type.', labelNames: ['type'], registers });
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
    collectDefaultMetrics({ register: this.registry, prefix: 'chatus_' });
  }

  connectionOpened(): void {
    this.#connections.inc();
  }

  connectionClosed(): void {
    this.#connections.dec();
  }

  message(type: string): void {
    this.#messages.inc({ type });
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

  /** The Prometheus text exposition. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
