import { memberName, type Roster } from '../../../shared/roster.ts';
import type { SystemNote } from '../../../shared/system-note.ts';

/**
 * The system lines a roster change deserves: who joined, who left, who hosts now. The first roster a person sees
 * (`previous` empty) says only who is here.
 */
export function rosterChanges(previous: Roster, next: Roster, selfId: string | null): SystemNote[] {
  if (previous.members.length === 0) {
    const names = next.members.filter((member) => member.id !== selfId).map((member) => member.name);
    return names.length > 0 ? [{ kind: 'present', names }] : [];
  }
  const before = new Set(previous.members.map((member) => member.id));
  const after = new Set(next.members.map((member) => member.id));
  const notes: SystemNote[] = [];
  for (const { id, name } of next.members) if (!before.has(id)) notes.push({ kind: 'joined', name });
  for (const { id, name } of previous.members) if (!after.has(id)) notes.push({ kind: 'left', name });
  const { hostId } = next;
  if (hostId !== previous.hostId && hostId !== null) {
    // The server names a member as host: its name is there (the id stands in, should it ever not be).
    notes.push({ kind: 'host', name: hostId === selfId ? null : (memberName(next, hostId) ?? hostId) });
  }
  return notes;
}
