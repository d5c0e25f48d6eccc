/**
 * A ChatUs peer in its own process, for faults that need one: freezing it with SIGSTOP is a real crash as the others
 * see it (the TCP socket stays open, nothing answers). Usage: tsx peer-process.ts <ws-url> <room> <name> [fast|default]
 * (liveness timings; fast by default). Prints one JSON line per event on stdout: {"event":"joined","peerId":...} and
 * {"event":"role","role":...}. A line {"block": ms} on stdin blocks its event loop that long, between the events
 * {"event":"busy"} and {"event":"idle"}.
 */
import { createInterface } from 'node:readline';
import { defaultLiveness } from '../../shared/liveness.ts';
import { RoomSession } from '../../web/src/net/room-session.ts';
import { nodeSessionDeps } from './node-webrtc.ts';
import { fastLiveness } from './sessions.ts';

const [url, room, name, timings = 'fast'] = process.argv.slice(2);
if (!url || !room || !name) {
  process.stderr.write('usage: peer-process.ts <ws-url> <room> <name>\n');
  process.exit(2);
}
const print = (event: object): boolean => process.stdout.write(`${JSON.stringify(event)}\n`);
const liveness = timings === 'default' ? defaultLiveness : fastLiveness;
const session = new RoomSession({ url, room, name }, { ...nodeSessionDeps(), liveness });
let lastRole: string | null = null;
session.on('change', (snapshot) => {
  if (snapshot.role !== lastRole) {
    lastRole = snapshot.role;
    print({ event: 'role', role: snapshot.role });
  }
});
await session.join();
print({ event: 'joined', peerId: session.snapshot().selfId });
process.on('SIGTERM', () => {
  session.leave();
  process.exit(0);
});
createInterface({ input: process.stdin }).on('line', (line) => {
  const { block } = JSON.parse(line) as { block?: number };
  if (typeof block !== 'number') return;
  print({ event: 'busy' });
  const until = Date.now() + block;
  while (Date.now() < until) {
    // A long task: nothing else of this process's JavaScript runs.
  }
  print({ event: 'idle' });
});
