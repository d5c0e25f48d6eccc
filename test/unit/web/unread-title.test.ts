import { describe, expect, it } from 'vitest';
import type { DeliveredChat } from '../../../shared/protocol/envelope.ts';
import type { ChatEntry, TimelineEntry } from '../../../shared/timeline.ts';
import { NewLines, UnreadCounter } from '../../../web/src/controllers/unread-title.ts';

/** A chat line from `from` (own: written in this tab). Only the fields the counter reads matter. */
function line(from: string, id: string, own = false): ChatEntry {
  const message = { from, id } as DeliveredChat;
  return { kind: 'chat', message, own, status: 'delivered', receivedAt: 0, unverified: false, text: id, direct: undefined, held: false };
}
const note = (id: string): TimelineEntry => ({ kind: 'system', id, ts: 0, note: { kind: 'joined', name: id } });

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

describe('the "New messages" marker', () => {
  it('goes before the first line from others that came while away, stays once the person is back, and goes when they write', () => {
    const counter = new UnreadCounter();
    const log: TimelineEntry[] = [line('ann', 'a1')];
    counter.update(log, false);
    expect(counter.marker).toBeNull();
    // Scrolled up (or hidden): the first line from someone else gets the marker, the next ones are counted after it.
    log.push(line('me', 'm1', true), note('n1'), line('bob', 'b1'), line('ann', 'a2'));
    expect(counter.update(log, true)).toBe(2);
    expect(counter.marker).toBe('bob/b1');
    // Back at the newest line: the count goes, the marker stays where the new lines began.
    expect(counter.update(log, false)).toBe(0);
    expect(counter.marker).toBe('bob/b1');
    log.push(line('bob', 'b2'));
    counter.update(log, false);
    expect(counter.marker).toBe('bob/b1');
    // Away again: the next new line moves it.
    log.push(line('cat', 'c1'));
    expect(counter.update(log, true)).toBe(1);
    expect(counter.marker).toBe('cat/c1');
    // The person writes: they have caught up.
    log.push(line('me', 'm2', true));
    counter.update(log, true);
    expect(counter.marker).toBeNull();
  });

  it('is not set by lines that arrive while the person sees the newest line', () => {
    const counter = new UnreadCounter();
    const log: TimelineEntry[] = [];
    counter.update(log, false);
    log.push(line('ann', 'a1'), line('ann', 'a2'));
    expect(counter.update(log, false)).toBe(0);
    expect(counter.marker).toBeNull();
  });
});

describe('NewLines', () => {
  it('hands out each line once, also when the oldest drop out or the log starts over', () => {
    const lines = new NewLines();
    const keys = (entries: readonly TimelineEntry[]) => entries.map((entry) => (entry.kind === 'chat' ? entry.message.id : entry.id));
    expect(keys(lines.take([line('ann', 'a1'), note('n1')]))).toEqual(['a1', 'n1']);
    expect(keys(lines.take([line('ann', 'a1'), note('n1')]))).toEqual([]);
    expect(keys(lines.take([note('n1'), line('bob', 'b1')]))).toEqual(['b1']);
    expect(keys(lines.take([line('cat', 'c1')]))).toEqual(['c1']);
    expect(keys(lines.take([]))).toEqual([]);
    expect(keys(lines.take([line('cat', 'c1'), line('cat', 'c2')]))).toEqual(['c2']);
  });
});
