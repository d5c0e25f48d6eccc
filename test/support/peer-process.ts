/**
 * A ChatUs peer in its own process, for faults that need one: freezing it with SIGSTOP is a real crash as the others
 * see it (the TCP socket stays open, nothing answers). Usage: tsx peer-process.ts <ws-url> <room> <name>.
 * Prints one JSON line per event on stdout: {"event":"joined","peerId":...} and {"event":"role","role":...}.
 */
import { RoomSession } from '../../web/src/net/room-session.ts';
import { nodeSessionDeps } from './node-webrtc.ts';
import { fastLiveness } from './sessions.ts';

const [url, room, name] = process.argv.slice(2);
if (!url || !room || !name) {
  process.stderr.write('usage: peer-process.ts <ws-url> <room> <name>\n');
  process.exit(2);
}
const session = new RoomSession({ url, room, name }, { ...nodeSessionDeps(), liveness: fastLiveness });
let lastRole: string | null = null;
session.on('change', (snapshot) => {
  if (snapshot.role !== lastRole) {
    lastRole = snapshot.role;
    process.stdout.write(`${JSON.stringify({ event: 'role', role: snapshot.role })}\n`);
  }
});
await session.join();
process.stdout.write(`${JSON.stringify({ event: 'joined', peerId: session.snapshot().selfId })}\n`);
process.on('SIGTERM', () => {
  session.leave();
  process.exit(0);
});
