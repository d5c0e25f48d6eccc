import type { ChatEntry } from '../../../shared/timeline.ts';

/** Longest message text an announcement or a notification quotes. */
const QUOTE_LENGTH = 140;

/** "Ann is typing…", "Ann and Bo are typing…", "3 people are typing…"; empty when nobody is. */
export function typingText(names: readonly string[]): string {
  const [first, second] = names;
  if (first === undefined) return '';
  if (second === undefined) return `${first} is typing…`;
  return names.length === 2 ? `${first} and ${second} are typing…` : `${names.length} people are typing…`;
}

/** The log's button back to its newest line, with the count of lines that came meanwhile. */
export function jumpLabel(count: number): string {
  return count > 0 ? `Jump to latest (${count} new)` : 'Jump to latest';
}

/**
 * A burst of lines from others in one sentence, for a screen reader or a notification: one line is quoted ("Ann: see
 * you at 5") unless `quote` is false ("New message from Ann"), several are counted with who wrote them ("4 new
 * messages from Ann and Bo").
 */
export function burstSummary(lines: readonly ChatEntry[], options: { readonly quote?: boolean } = {}): string {
  const [only] = lines;
  if (only === undefined) return '';
  if (lines.length === 1) return options.quote === false ? `New message from ${senderOf(only)}` : `${senderOf(only)}: ${quote(only)}`;
  const names = [...new Set(lines.map((line) => line.message.name))];
  return `${lines.length} new messages from ${nameList(names)}`;
}

/** "Ann", "Ann and Bo", "Ann, Bo and Cy", "Ann, Bo and 3 others". */
export function nameList(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length > 3) return `${names.slice(0, 2).join(', ')} and ${names.length - 2} others`;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

const senderOf = (line: ChatEntry): string => (line.direct ? `${line.message.name} (private)` : line.message.name);

/** What a line says, short: its text (clipped) or the file it sends. */
function quote(line: ChatEntry): string {
  const { file } = line.message.body;
  if (file) return `sent the file ${file.name}`;
  return line.text.length > QUOTE_LENGTH ? `${line.text.slice(0, QUOTE_LENGTH - 1)}…` : line.text;
}
