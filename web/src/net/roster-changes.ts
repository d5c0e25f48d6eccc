import { memberName, type Roster } from '../../../shared/roster.ts';

/**
 * The system lines a roster change deserves: who joined, who left, who hosts now. The first roster a person sees
 * (`previous` empty) says only who is here.
 */
export function rosterChanges(previous: Roster, next: Roster, selfId: string | null): string[] {
  if (previous.members.length === 0) {
    const others = next.members.filter((member) => member.id !== selfId).map((member) => member.name);
    return others.length > 0 ? [`In the room: ${others.join(', ')}`] : [];
  }
  const before = new Set(previous.members.map((member) => member.id));
  const after = new Set(next.members.map((member) => member.id));
  const lines: string[] = [];
  for (const member of next.members) if (!before.has(member.id)) lines.push(`${member.name} joined`);
  for (const member of previous.members) if (!after.has(member.id)) lines.push(`${member.name} left`);
  if (next.hostId !== previous.hostId && next.hostId !== null) {
    const hostName = next.hostId === selfId ? 'You are' : `${memberName(next, next.hostId) ?? 'someone'} is`;
    lines.push(`${hostName} now the host`);
  }
  return lines;
}
