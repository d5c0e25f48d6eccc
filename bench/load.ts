/**
 * The load process of the signaling benchmark, run apart from the server it loads. Speaks either ChatUs's protocol or
 * PeerServer's. Usage: tsx bench/load.ts <chatus|peer> <port[,port…]> hold <connections>
 *                      tsx bench/load.ts <chatus|peer> <port[,port…]> relay <pairs> <seconds> <window>
 * Prints one JSON line with its figures; `hold` then keeps its sockets open until stdin closes. With several ports
 * (signaling nodes sharing rooms through Redis), client i goes to port i mod n, so with two the two members of each
 * pair are on different nodes and every relay crosses between them.
 */
import WebSocket from 'ws';

type Kind = 'chatus' | 'peer';
const [kind, portText, task, ...rest] = process.argv.slice(2) as [Kind, string, string, ...string[]];
const ports = portText.split(',').map(Number);

/** One registered client: its socket and the id others address it by. */
interface Client {
  readonly socket: WebSocket;
  readonly id: string;
}

function open(index: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const id = `p${index}x${process.pid}`;
    const port = ports[index % ports.length]!;
    const url = kind === 'chatus' ? `ws://127.0.0.1:${port}/ws` : `ws://127.0.0.1:${port}/peerjs?key=peerjs&id=${id}&token=t${index}`;
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.once('error', reject);
    socket.on('message', function first(data) {
      const message = JSON.parse(String(data)) as { type: string; peerId?: string };
      if (kind === 'chatus' && message.type === 'welcome') {
        socket.off('message', first);
        resolve({ socket, id: message.peerId! });
      } else if (kind === 'peer' && message.type === 'OPEN') {
        socket.off('message', first);
        resolve({ socket, id });
      }
    });
    if (kind === 'chatus') {
      socket.once('open', () => socket.send(JSON.stringify({ type: 'join', v: 1, room: `r${process.pid}-${Math.floor(index / 2)}`, name: `n${index}` })));
    }
  });
}

/** Opens `count` clients, `concurrency` at a time; returns them and the seconds it took. */
async function openMany(count: number, concurrency = 200): Promise<{ clients: Client[]; seconds: number }> {
  const clients: Client[] = new Array(count);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        clients[index] = await open(index);
      }
    }),
  );
  return { clients, seconds: (performance.now() - start) / 1000 };
}

function candidate(to: string, stamp: number): string {
  const line = `candidate:842163049 1 udp 1677729535 127.0.0.1 50000 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag abcd t=${stamp}`;
  const body = { candidate: line, sdpMid: '0', sdpMLineIndex: 0 };
  return kind === 'chatus'
    ? JSON.stringify({ type: 'signal', to, data: { type: 'candidate', candidate: body } })
    : JSON.stringify({ type: 'CANDIDATE', dst: to, payload: { candidate: body, type: 'data', connectionId: 'dc_1' } });
}

function stampOf(raw: string): number | null {
  const match = /t=([\d.]+)/.exec(raw);
  return match ? Number(match[1]) : null;
}

async function relay(pairs: number, seconds: number, window: number): Promise<void> {
  const { clients } = await openMany(pairs * 2);
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: pairs }, (_, p) => {
      // In ChatUs the first of a room hosts and signals go member ↔ host; PeerServer relays between any two ids.
      const a = clients[2 * p]!;
      const b = clients[2 * p + 1]!;
      return new Promise<void>((resolve) => {
        let inFlight = 0;
        // One write per burst rather than per frame, so that the load process is not the bottleneck.
        const raw = (b.socket as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
        const pump = (): void => {
          raw.cork();
          while (inFlight < window && performance.now() < end) {
            inFlight++;
            b.socket.send(candidate(a.id, performance.now()));
          }
          raw.uncork();
          if (inFlight === 0) resolve();
        };
        a.socket.on('message', (data) => {
          const stamp = stampOf(String(data));
          if (stamp === null) return;
          latencies.push(performance.now() - stamp);
          count++;
          inFlight--;
          pump();
        });
        pump();
      });
    }),
  );
  latencies.sort((x, y) => x - y);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? Number.NaN;
  process.stdout.write(`${JSON.stringify({ relays: count, perSecond: count / seconds, p50: at(0.5), p99: at(0.99) })}\n`);
  for (const client of clients) client.socket.terminate();
}

async function hold(connections: number): Promise<void> {
  const { clients, seconds } = await openMany(connections);
  process.stdout.write(`${JSON.stringify({ held: clients.length, seconds, perSecond: clients.length / seconds })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
}

if (task === 'hold') await hold(Number(rest[0]));
else if (task === 'relay') {
  await relay(Number(rest[0]), Number(rest[1]), Number(rest[2]));
  process.exit(0);
} else {
  process.stderr.write('usage: see the comment at the top of bench/load.ts\n');
  process.exit(2);
}
