import { describe, expect, it } from 'vitest';
import { unsignedFields } from '../../support/signed-chat.ts';
import type { DeliveredChat } from '../../../shared/protocol/envelope.ts';
import { REORDER_WINDOW_MS, MAX_CLOCK_SKEW_MS } from '../../../shared/limits.ts';
import { TIMELINE_CAPACITY, Timeline, shownTime, type ChatEntry, type TimelineEntry } from '../../../shared/timeline.ts';
import type { SystemNote } from '../../../shared/system-note.ts';

/** Arrival at time 0 unless a test says otherwise. */
const at0 = { receivedAt: 0 } as const;

/** A delivered chat from `from` with sequence number `seq`; its id is derived from both unless given. */
function chat(from: string, seq: number, id = `${from}-msg-${seq}`): DeliveredChat {
  return { v: 1, type: 'chat', id, from, name: from.toUpperCase(), seq, ts: seq * 10, body: { text: `${from}${seq}` }, ...unsignedFields };
}

/** A system line saying that `name` joined. */
const joined = (name: string): SystemNote => ({ kind: 'joined', name });

/** A compact view of the timeline: "a1" for a chat, "#NAME" for a system line saying who joined. */
function lines(timeline: Timeline): string[] {
  return timeline.entries().map((entry: TimelineEntry) => (entry.kind === 'chat' ? entry.text : `#${entry.note.kind === 'joined' ? entry.note.name : entry.note.kind}`));
}

describe('Timeline.addChat', () => {
  it('appends messages in arrival order when each sender is in order', () => {
    const timeline = new Timeline();
    for (const message of [chat('a', 1), chat('b', 1), chat('a', 2), chat('b', 2)]) expect(timeline.addChat(message, at0)).toBe('added');
    expect(lines(timeline)).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('adds a message (author and id) once: a duplicate is refused and changes nothing', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('a', 1), at0);
    timeline.addChat(chat('b', 1), at0);
    expect(timeline.addChat({ ...chat('a', 1), body: { text: 'changed' } }, at0)).toBe('duplicate');
    expect(timeline.addChat(chat('a', 9, 'a-msg-1'), at0)).toBe('duplicate');
    expect(lines(timeline)).toEqual(['a1', 'b1']);
    expect(timeline.hasChat('a/a-msg-1')).toBe(true);
    expect(timeline.hasChat('a/a-msg-2')).toBe(false);
  });

  it("puts a late message of a sender before that sender's later ones", () => {
    const timeline = new Timeline();
    for (const message of [chat('a', 1), chat('b', 1), chat('a', 3), chat('b', 2)]) timeline.addChat(message, at0);
    timeline.addChat(chat('a', 2), at0);
    expect(lines(timeline)).toEqual(['a1', 'b1', 'a2', 'a3', 'b2']);
  });

  it("leaves other senders' messages where they are", () => {
    const timeline = new Timeline();
    for (const message of [chat('a', 5), chat('b', 1), chat('b', 2), chat('c', 1)]) timeline.addChat(message, at0);
    timeline.addChat(chat('b', 3), at0);
    timeline.addChat(chat('a', 4), at0);
    expect(lines(timeline)).toEqual(['a4', 'a5', 'b1', 'b2', 'c1', 'b3']);
  });

  it("sorts several late messages of one sender into the sender's order", () => {
    const timeline = new Timeline();
    for (const seq of [4, 2, 3, 1]) timeline.addChat(chat('a', seq), at0);
    expect(lines(timeline)).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('keeps the flags it is given', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('me', 1), { ...at0, own: true, status: 'pending' });
    timeline.addChat(chat('you', 1), at0);
    expect(timeline.entries()).toMatchObject([
      { kind: 'chat', own: true, status: 'pending' },
      { kind: 'chat', own: false, status: 'delivered' },
    ]);
  });
});

describe('Timeline.addSystem', () => {
  it('appends system lines among chats without disturbing sender order', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('a', 1), at0);
    timeline.addSystem('s1', joined('Bob'), 15);
    timeline.addChat(chat('a', 3), at0);
    timeline.addChat(chat('a', 2), at0);
    expect(lines(timeline)).toEqual(['a1', '#Bob', 'a2', 'a3']);
    expect(timeline.entries()[1]).toStrictEqual({ kind: 'system', id: 's1', ts: 15, note: joined('Bob') });
  });

  it('does not count system lines as chats', () => {
    const timeline = new Timeline();
    timeline.addSystem('a-msg-1', joined('hello'), 1);
    expect(timeline.hasChat('a/a-msg-1')).toBe(false);
    expect(timeline.addChat(chat('a', 1), at0)).toBe('added');
  });
});

describe('Timeline.setStatus', () => {
  it('changes the status of a chat once and reports whether it changed', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('me', 1), { ...at0, own: true, status: 'pending' });
    expect(timeline.setStatus('me-msg-1', 'delivered')).toBe(true);
    expect(timeline.setStatus('me-msg-1', 'delivered')).toBe(false);
    expect(timeline.entries()[0]).toMatchObject({ kind: 'chat', status: 'delivered', own: true });
    expect(timeline.setStatus('me-msg-1', 'failed')).toBe(true);
    expect(timeline.entries()[0]).toMatchObject({ status: 'failed' });
  });

  it("ignores unknown ids, other people's messages and system lines", () => {
    const timeline = new Timeline();
    timeline.addSystem('sys', joined('x'), 1);
    timeline.addChat(chat('you', 1), at0);
    expect(timeline.setStatus('you-msg-1', 'failed')).toBe(false);
    expect(timeline.setStatus('nope', 'failed')).toBe(false);
    expect(timeline.setStatus('sys', 'failed')).toBe(false);
    expect(timeline.entries()[0]).toStrictEqual({ kind: 'system', id: 'sys', ts: 1, note: joined('x') });
    expect(timeline.entries()[1]).toMatchObject({ status: 'delivered' });
  });

  it('hands out the same snapshot until something changes, so a reader can tell by identity and nothing is copied', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('me', 1), { ...at0, own: true, status: 'pending' });
    const first = timeline.entries();
    expect(timeline.entries()).toBe(first);
    timeline.setStatus('me-msg-1', 'pending');
    timeline.addChat(chat('me', 1), at0);
    expect(timeline.entries()).toBe(first);
    const revision = timeline.revision;
    timeline.setStatus('me-msg-1', 'delivered');
    expect(timeline.revision).toBeGreaterThan(revision);
    expect(timeline.entries()).not.toBe(first);
    const second = timeline.entries();
    timeline.addSystem('s', joined('Bob'), 1);
    expect(timeline.entries()).not.toBe(second);
  });

  it('does not change a snapshot taken earlier', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('me', 1), { ...at0, own: true, status: 'pending' });
    const before = timeline.entries();
    timeline.setStatus('me-msg-1', 'delivered');
    timeline.addChat(chat('me', 2), at0);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ status: 'pending' });
  });
});

describe('Timeline.recentChats', () => {
  const filled = (): Timeline => {
    const timeline = new Timeline();
    timeline.addChat(chat('a', 1), at0);
    timeline.addSystem('s', joined('x'), 1);
    timeline.addChat(chat('b', 1), at0);
    timeline.addChat(chat('a', 2), at0);
    timeline.addSystem('t', joined('y'), 2);
    return timeline;
  };

  it('returns the newest chats, oldest first, skipping system lines', () => {
    expect(filled().recentChats(2).map((m) => m.body.text)).toEqual(['b1', 'a2']);
  });

  it('returns every chat when the limit is larger, and none for 0', () => {
    expect(filled().recentChats(10).map((m) => m.body.text)).toEqual(['a1', 'b1', 'a2']);
    expect(filled().recentChats(0)).toEqual([]);
    expect(new Timeline().recentChats(5)).toEqual([]);
  });

  it('follows timeline order, not arrival order', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('a', 2), at0);
    timeline.addChat(chat('a', 1), at0);
    expect(timeline.recentChats(1).map((m) => m.body.text)).toEqual(['a2']);
  });
});

describe('Timeline capacity', () => {
  it(`keeps ${TIMELINE_CAPACITY} lines by default`, () => {
    const timeline = new Timeline();
    for (let seq = 1; seq <= TIMELINE_CAPACITY + 5; seq++) timeline.addChat(chat('a', seq), at0);
    expect(timeline.entries()).toHaveLength(TIMELINE_CAPACITY);
    expect(lines(timeline)[0]).toBe('a6');
  });

  it('drops the oldest lines, system lines included, and forgets the dropped ids', () => {
    const timeline = new Timeline(3);
    timeline.addChat(chat('a', 1), at0);
    timeline.addSystem('s', joined('joined'), 1);
    timeline.addChat(chat('a', 2), at0);
    timeline.addChat(chat('a', 3), at0);
    expect(lines(timeline)).toEqual(['#joined', 'a2', 'a3']);
    expect(timeline.hasChat('a/a-msg-1')).toBe(false);
    timeline.addChat(chat('b', 1), at0);
    expect(lines(timeline)).toEqual(['a2', 'a3', 'b1']);
    // Forgotten, so the same id is new again (it came back after it had scrolled out).
    expect(timeline.addChat(chat('c', 1, 'a-msg-1'), at0)).toBe('added');
    expect(lines(timeline)).toEqual(['a3', 'b1', 'c1']);
    expect(timeline.hasChat('a/a-msg-2')).toBe(false);
    expect(timeline.hasChat('a/a-msg-3')).toBe(true);
  });
});

describe('Timeline against hostile senders', () => {
  it('keys messages by author and id: another author reusing an id does not hide the message', () => {
    const timeline = new Timeline();
    expect(timeline.addChat(chat('mallory', 1, 'shared-id-1'), at0)).toBe('added');
    expect(timeline.addChat(chat('ann', 1, 'shared-id-1'), at0)).toBe('added');
    expect(lines(timeline)).toEqual(['mallory1', 'ann1']);
    expect(timeline.hasChat('ann/shared-id-1')).toBe(true);
  });

  it("refuses a second message with an author's seq already here", () => {
    const timeline = new Timeline();
    timeline.addChat(chat('a', 1), at0);
    expect(timeline.addChat({ ...chat('a', 1, 'other-id-1'), body: { text: 'forged' } }, at0)).toBe('seq-taken');
    expect(lines(timeline)).toEqual(['a1']);
  });

  it('puts a back-dated seq at the end once the later messages are older than the re-order window', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('a', 5), { receivedAt: 0 });
    timeline.addChat(chat('b', 1), { receivedAt: 10 });
    const late = REORDER_WINDOW_MS + 1;
    expect(timeline.addChat(chat('a', 1), { receivedAt: late })).toBe('added');
    expect(lines(timeline)).toEqual(['a5', 'b1', 'a1']);
  });

  it('re-orders within the window but never above a line that arrived before it', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('a', 3), { receivedAt: 0 });
    timeline.addSystem('s', joined('Bob'), 1);
    timeline.addChat(chat('a', 5), { receivedAt: REORDER_WINDOW_MS });
    timeline.addChat(chat('a', 2), { receivedAt: REORDER_WINDOW_MS + 5 });
    expect(lines(timeline)).toEqual(['a3', '#Bob', 'a2', 'a5']);
  });

  it('shows a time from the future as the arrival time, and any other time as given', () => {
    const entry = (ts: number, receivedAt: number): ChatEntry => ({
      kind: 'chat',
      message: { ...chat('a', 1), ts },
      own: false,
      status: 'delivered',
      receivedAt,
      unverified: false,
      text: 'a1',
      direct: undefined,
      held: false,
    });
    expect(shownTime(entry(8.64e15, 1000))).toBe(1000);
    expect(shownTime(entry(1000 + MAX_CLOCK_SKEW_MS, 1000))).toBe(1000 + MAX_CLOCK_SKEW_MS);
    expect(shownTime(entry(1001 + MAX_CLOCK_SKEW_MS, 1000))).toBe(1000);
    expect(shownTime(entry(0, 1000))).toBe(0);
  });
});

describe('Timeline history batches', () => {
  it("keeps the host's order for history: a back-dated line does not climb above older lines", () => {
    const timeline = new Timeline();
    // As the host ordered it: Mal's seq 1000 long ago, others, then Mal's back-dated seq 1 at the end.
    for (const message of [chat('mal', 1000), chat('ann', 1), chat('ann', 2), chat('mal', 1)]) {
      timeline.addChat(message, { ...at0, asHistory: true });
    }
    expect(lines(timeline)).toEqual(['mal1000', 'ann1', 'ann2', 'mal1']);
  });
});
