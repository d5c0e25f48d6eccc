import { describe, expect, it } from 'vitest';
import type { DeliveredChat } from '../../../shared/protocol/envelope.ts';
import type { ChatEntry, TimelineEntry } from '../../../shared/timeline.ts';
import { UnreadCounter } from '../../../web/src/controllers/unread-title.ts';

/** A chat line from `from` (own: written in this tab). Only the fields the counter reads matter. */
function line(from: string, id: string, own = false): ChatEntry {
  const message = { from, id } as DeliveredChat;
  return { kind: 'chat', message, own, status: 'delivered', receivedAt: 0, unverified: false, text: id, direct: undefined, held: false };
}
const note = (id: string): TimelineEntry => ({ kind: 'system', id, ts: 0, text: id });

describe('the unread count', () => {
  it('counts lines from others that arrive while hidden, not one’s own nor notes, and resets when seen', () => {
    const counter = new UnreadCounter();
    const log: TimelineEntry[] = [line('ann', 'a1'), line('me', 'm1', true)];
    expect(counter.update(log, false)).toBe(0);
    log.push(line('ann', 'a2'), note('n1'), line('me', 'm2', true), line('bob', 'b1'));
    expect(counter.update(log, true)).toBe(2);
    // The same log again (a re-render): nothing new.
    expect(counter.update(log, true)).toBe(2);
    log.push(line('bob', 'b2'));
    expect(counter.update(log, true)).toBe(3);
    expect(counter.update(log, false)).toBe(0);
    log.push(line('bob', 'b3'));
    expect(counter.update(log, false)).toBe(0);
    // Hidden again: counted from what was seen last.
    log.push(line('ann', 'a3'));
    expect(counter.update(log, true)).toBe(1);
  });

  it('keeps counting when the oldest lines drop out of a full log', () => {
    const counter = new UnreadCounter();
    let log: TimelineEntry[] = [line('ann', 'a1'), line('ann', 'a2')];
    counter.update(log, false);
    log = [line('ann', 'a2'), line('bob', 'b1'), line('bob', 'b2')];
    expect(counter.update(log, true)).toBe(2);
  });
});
