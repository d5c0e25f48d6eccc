import { fileURLToPath } from 'node:url';

/** What the bundler tells a chunk-assigning function about a module. */
interface ModuleInfoLike {
  readonly importedIds: readonly string[];
}

type ModuleInfoOf = (id: string) => ModuleInfoLike | null;

/**
 * Keeps the room's code in one chunk. The bundler splits every module that the room code and a module it loads later
 * (the host's relay, the sender's code) both import into chunks of its own, although the room code is always there
 * first: more requests, and several gzip streams instead of one (about as many bytes as the lazy modules saved).
 * Every module the room entry imports statically, and the page's entry does not, goes into the room entry's chunk.
 */
export function roomChunk(entry: string, roomEntry: string, name: string) {
  const entryId = fileURLToPath(new URL(entry, import.meta.url));
  const roomId = fileURLToPath(new URL(roomEntry, import.meta.url));
  let room: Set<string> | null = null;
  return (id: string, meta: { getModuleInfo: ModuleInfoOf }): string | null => {
    if (room === null) {
      const infoOf = (module: string) => meta.getModuleInfo(module);
      const firstScreen = reachable(entryId, infoOf);
      room = new Set([...reachable(roomId, infoOf)].filter((module) => !firstScreen.has(module)));
    }
    return room.has(id) ? name : null;
  };
}

/** The modules `from` imports statically, directly or not, itself included. */
function reachable(from: string, infoOf: ModuleInfoOf): Set<string> {
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) {
    for (const next of infoOf(stack.pop()!)?.importedIds ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(next);
    }
  }
  return seen;
}
