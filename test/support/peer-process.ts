/**
 * A ChatUs peer in its own process, for faults that need one: freezing it with SIGSTOP is a real crash as the others
 * see it (the TCP socket stays open, nothing answers). Usage: tsx peer-process.ts <ws-url> <room> <name> [fast|default]
 * (liveness timings; fast by default). Prints one JSON line per event on stdout: {"event":"joined","peerId":...} and
 * {"event":"role","role":...}, {"event":"linked"} when its link to a host opens, and {"event":"chat","id","name","text"}
 * once for each chat line that enters its timeline. A line {"block": ms} on stdin blocks its event loop that long,
 * between the events {"event":"busy"} and {"event":"idle"}; a line {"say": text} sends a chat message.
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
let linked = false;
const shown = new Set<string>();
session.on('change', (snapshot) => {
  if (snapshot.role !== lastRole) {
    lastRole = snapshot.role;
    print({ event: 'role', role: snapshot.role });
  }
  if (snapshot.linkedToHost !== linked) {
    linked = snapshot.linkedToHost;
    if (linked) print({ event: 'linked' });
  }
  for (const entry of snapshot.timeline) {
    if (entry.kind !== 'chat' || shown.has(entry.message.id)) continue;
    shown.add(entry.message.id);
    print({ event: 'chat', id: entry.message.id, name: entry.message.name, text: entry.text });
  }
});
await session.join();
print({ event: 'joined', peerId: session.snapshot().selfId });
process.on('SIGTERM', () => {
  session.leave();
  process.exit(0);
});
createInterface({ input: process.stdin }).on('line', (line) => {
  const { block, say } = JSON.parse(line) as { block?: number; say?: string };
  if (typeof say === 'string') session.send(say);
  if (typeof block !== 'number') return;
  print({ event: 'busy' });
  const until = Date.now() + block;
  while (Date.now() < until) {
    // A long task: nothing else of this process's JavaScript runs.
  }
  print({ event: 'idle' });
});
