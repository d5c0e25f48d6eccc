/**
 * Members of a big room in a process of their own, for bench/chromium-host-room.ts: a hundred node-datachannel links
 * in one process stall on a 2-core machine, a few dozen per process do not. The members are the session code a
 * browser runs, with the timings people get.
 *
 * Usage: tsx bench/member-swarm.ts <ws-url> <room> <first index> <count>. Joins `count` members named M<index> at
 * once and prints one JSON line per event: {"event":"linked","name"} when a member's link to the host first opens,
 * and {"event":"got","ms"} for each line "fan <n> <sent at>" a member shows, with the milliseconds since it was sent
 * (`sent at` is performance.timeOrigin + performance.now() of the sender: one clock on one machine). A line on stdin
 * (or its end) makes every member leave and the process exit.
 */
import { createInterface } from 'node:readline';
import { defaultLiveness } from '../shared/liveness.ts';
import { RoomSession } from '../web/src/net/room-session.ts';
import { nodeSessionDeps } from '../test/support/node-webrtc.ts';

const [url, room, first, count] = process.argv.slice(2);
if (!url || !room || !first || !count) {
  process.stderr.write('usage: member-swarm.ts <ws-url> <room> <first index> <count>\n');
  process.exit(2);
}
const print = (event: object): boolean => process.stdout.write(`${JSON.stringify(event)}\n`);
const now = (): number => performance.timeOrigin + performance.now();

function member(index: number): RoomSession {
  const name = `M${index}`;
  const session = new RoomSession({ url: url!, room: room!, name }, { ...nodeSessionDeps(), liveness: defaultLiveness });
  let linked = false;
  const seen = new Set<string>();
  session.on('change', (snapshot) => {
    if (snapshot.linkedToHost && !linked) {
      linked = true;
      print({ event: 'linked', name });
    }
    // Only the newest lines can be new: a change adds at most a few.
    for (const entry of snapshot.timeline.slice(-8)) {
      if (entry.kind !== 'chat' || entry.own || seen.has(entry.message.id)) continue;
      seen.add(entry.message.id);
      const fan = /^fan \d+ (\d+(?:\.\d+)?)$/.exec(entry.text);
      if (fan) print({ event: 'got', ms: now() - Number(fan[1]) });
    }
  });
  return session;
}

const members = Array.from({ length: Number(count) }, (_, i) => member(Number(first) + i));
await Promise.all(members.map((session) => session.join()));
const leave = (): never => {
  for (const session of members) session.leave();
  process.exit(0);
};
createInterface({ input: process.stdin }).on('line', leave).on('close', leave);
