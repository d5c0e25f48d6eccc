import { msg, str } from '@lit/localize';
import type { ChatEntry } from '../../../shared/timeline.ts';

/** Longest message text an announcement or a notification quotes. */
const QUOTE_LENGTH = 140;

/** "Ann is typing…", "Ann and Bo are typing…", "3 people are typing…"; empty when nobody is. */
export function typingText(names: readonly string[]): string {
  const [first, second] = names;
  if (first === undefined) return '';
  if (second === undefined) return msg(str`${first} is typing…`, { id: 'notice.typing-one' });
  return names.length === 2
    ? msg(str`${first} and ${second} are typing…`, { id: 'notice.typing-two' })
    : msg(str`${names.length} people are typing…`, { id: 'notice.typing-many' });
}

/** The log's button back to its newest line, with the count of lines that came meanwhile. */
export function jumpLabel(count: number): string {
  return count > 0 ? msg(str`Jump to latest (${count} new)`, { id: 'notice.jump-new' }) : msg('Jump to latest', { id: 'notice.jump' });
}

/**
 * A burst of lines from others in one sentence, for a screen reader or a notification: one line is quoted ("Ann: see
 * you at 5") unless `quote` is false ("New message from Ann"), several are counted with who wrote them ("4 new
 * messages from Ann and Bo").
 */
export function burstSummary(lines: readonly ChatEntry[], options: { readonly quote?: boolean } = {}): string {
  const [only] = lines;
  if (only === undefined) return '';
  if (lines.length === 1) {
    return options.quote === false ? msg(str`New message from ${senderOf(only)}`, { id: 'notice.new-from' }) : `${senderOf(only)}: ${quote(only)}`;
  }
  const names = [...new Set(lines.map((line) => line.message.name))];
  return msg(str`${lines.length} new messages from ${nameList(names)}`, { id: 'notice.new-many' });
}

/** "Ann", "Ann and Bo", "Ann, Bo and Cy", "Ann, Bo and 3 others". */
export function nameList(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length > 3) return msg(str`${names.slice(0, 2).join(', ')} and ${names.length - 2} others`, { id: 'notice.names-others' });
  return msg(str`${names.slice(0, -1).join(', ')} and ${names.at(-1)}`, { id: 'notice.names' });
}

const senderOf = (line: ChatEntry): string =>
  line.direct ? msg(str`${line.message.name} (private)`, { id: 'notice.private-sender' }) : line.message.name;

/** What a line says, short: its text (clipped) or the file it sends. */
function quote(line: ChatEntry): string {
  // As opened here: a sealed file's name is in its sealed description, not in the body.
  const file = line.file?.description ?? line.message.body.file;
  if (file) return msg(str`sent the file ${file.name}`, { id: 'notice.sent-file' });
  return line.text.length > QUOTE_LENGTH ? `${line.text.slice(0, QUOTE_LENGTH - 1)}…` : line.text;
}
