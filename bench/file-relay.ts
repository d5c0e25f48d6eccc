import { defaultLiveness } from '../shared/liveness.ts';
import { createPeerLink } from '../web/src/net/peer-link.ts';
import type { RoomSession } from '../web/src/net/room-session.ts';
import type { TransferView } from '../web/src/net/files/transfer-view.ts';
import { startTestServer, type TestServer } from '../test/support/server.ts';
import { SessionPool, until } from '../test/support/sessions.ts';
import { spawnHost, type HostProcess } from './host-process.ts';

/** When the receiving member's link brought its first bulk frame since a transfer began (0: not yet). */
interface FirstChunk {
  at: number;
  arrived: () => void;
}

/** What one file transfer through the room took. */
export interface TransferFigures {
  /** Send pressed (`sendFile`, which hashes the whole file first) → the first chunk at the receiving member, in ms. */
  readonly firstByteMs: number;
  /** Bytes over the time from the first chunk's arrival at the receiving member to its verified file. */
  readonly bytesPerSecond: number;
  /** Bytes over the time from Send to the receiving member's verified file. */
  readonly sendToVerifiedBytesPerSecond: number;
  /** Send → receipt of each chat message the sender wrote to the room while the chunks moved, in ms. */
  readonly chatMs: readonly number[];
}

/**
 * A room of three for file benchmarks: the host in its own process (bench/relay-host.ts chatus, so that its memory is
 * its own), a sending member and a receiving member in this one (one clock for both ends of every figure).
 */
export class FileRoom {
  readonly host: HostProcess;
  readonly #server: TestServer;
  readonly #pools: SessionPool[];
  readonly #sender: RoomSession;
  readonly #sink: RoomSession;
  readonly #firstChunk: FirstChunk;
  /** Send times of chat messages not yet seen at the receiving member, by message id. */
  readonly #chatSentAt = new Map<string, number>();
  #chatMs: number[] = [];

  private constructor(server: TestServer, host: HostProcess, pools: SessionPool[], sender: RoomSession, sink: RoomSession, firstChunk: FirstChunk) {
    this.#server = server;
    this.host = host;
    this.#pools = pools;
    this.#sender = sender;
    this.#sink = sink;
    this.#firstChunk = firstChunk;
    sink.on('change', (snapshot) => {
      const now = performance.now();
      for (const entry of snapshot.timeline.slice(-64)) {
        const sentAt = entry.kind === 'chat' ? this.#chatSentAt.get(entry.message.id) : undefined;
        if (entry.kind !== 'chat' || sentAt === undefined) continue;
        this.#chatSentAt.delete(entry.message.id);
        this.#chatMs.push(now - sentAt);
      }
    });
  }

  /** Starts the server and the host process, joins both members and waits until both are linked to the host. */
  static async open(room: string): Promise<FileRoom> {
    const server = await startTestServer({ limits: { maxConnectionsPerIp: 1000, messageBurst: 10_000, messagesPerSecond: 10_000 } });
    const host = spawnHost(['chatus', server.wsUrl, room]);
    const firstChunk: FirstChunk = { at: 0, arrived: () => {} };
    const senders = new SessionPool(() => server.wsUrl, defaultLiveness);
    const sinks = new SessionPool(() => server.wsUrl, defaultLiveness, {
      createLink: (options) => {
        const link = createPeerLink(options);
        link.on('bulk', () => {
          if (firstChunk.at !== 0) return;
          firstChunk.at = performance.now();
          firstChunk.arrived();
        });
        return link;
      },
    });
    try {
      await host.next((line) => line['event'] === 'host');
      const sender = await senders.join(room, 'Sender');
      const sink = await sinks.join(room, 'Sink');
      await Promise.all([sender, sink].map((s) => until(s, (x) => x.linkedToHost, 30_000)));
      return new FileRoom(server, host, [senders, sinks], sender, sink, firstChunk);
    } catch (error) {
      for (const pool of [senders, sinks]) pool.leaveAll();
      host.stop();
      await server.close();
      throw error;
    }
  }

  /** Send → receipt of `count` chat messages from the sending member, one every `everyMs`, with no file moving. */
  async chatLatencies(count: number, everyMs: number): Promise<number[]> {
    this.#chatMs = [];
    for (let i = 0; i < count; i++) {
      this.#chat(`idle ${i}`);
      await pause(everyMs);
    }
    return this.#settleChat();
  }

  /**
   * The sending member sends `file`; once its first chunk reaches the receiving member, a chat message goes from the
   * sender to the room every `chatEveryMs` (none when null) until the receiving member has the verified file.
   */
  async transfer(file: Blob, chatEveryMs: number | null): Promise<TransferFigures> {
    const known = new Set(this.#sink.snapshot().files.keys());
    const ended = (view: TransferView): boolean => !known.has(view.transfer) && ['done', 'failed', 'cancelled'].includes(view.state);
    const firstChunk = this.#firstChunk;
    firstChunk.at = 0;
    const flowing = new Promise<void>((resolve) => (firstChunk.arrived = resolve));
    this.#chatMs = [];
    let moving = true;
    const start = performance.now();
    const finished = until(this.#sink, (s) => [...s.files.values()].some(ended), 600_000).then((snapshot) => {
      moving = false;
      return { at: performance.now(), view: [...snapshot.files.values()].find(ended)! };
    });
    const sent = await this.#sender.files.sendFile(file, 'bench.bin');
    if (!sent.ok) throw new Error(`file refused: ${sent.error.code}`);
    await Promise.race([flowing, finished]);
    for (let i = 0; chatEveryMs !== null && moving; i++) {
      this.#chat(`during ${i}`);
      await pause(chatEveryMs);
    }
    const end = await finished;
    if (end.view.state !== 'done') throw new Error(`the file ${end.view.state}: ${end.view.detail}`);
    return {
      firstByteMs: firstChunk.at - start,
      bytesPerSecond: file.size / ((end.at - firstChunk.at) / 1000),
      sendToVerifiedBytesPerSecond: file.size / ((end.at - start) / 1000),
      chatMs: await this.#settleChat(),
    };
  }

  async close(): Promise<void> {
    for (const pool of this.#pools) pool.leaveAll();
    this.host.stop();
    await this.#server.close();
  }

  #chat(text: string): void {
    const sent = this.#sender.send(text);
    if (sent.ok) this.#chatSentAt.set(sent.value.id, performance.now());
  }

  /** The latencies gathered, once every message sent has arrived (or after 10 s without the rest). */
  async #settleChat(): Promise<number[]> {
    const deadline = performance.now() + 10_000;
    while (this.#chatSentAt.size > 0 && performance.now() < deadline) await pause(20);
    this.#chatSentAt.clear();
    return this.#chatMs;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
