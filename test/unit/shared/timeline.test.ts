import { describe, expect, it } from 'vitest';
import type { DeliveredChat } from '../../../shared/protocol/envelope.ts';
import { TIMELINE_CAPACITY, Timeline, type TimelineEntry } from '../../../shared/timeline.ts';

/** A delivered chat from `from` with sequence number `seq`; its id is derived from both unless given. */
function chat(from: string, seq: number, id = `${from}-msg-${seq}`): DeliveredChat {
  return { v: 1, type: 'chat', id, from, name: from.toUpperCase(), seq, ts: seq * 10, body: { text: `${from}${seq}` } };
}

/** A compact view of the timeline: "a1" for a chat, "#text" for a system line. */
function lines(timeline: Timeline): string[] {
  return timeline.entries().map((entry: TimelineEntry) => (entry.kind === 'chat' ? entry.message.body.text : `#${entry.text}`));
}

describe('Timeline.addChat', () => {
  it('appends messages in arrival order when each sender is in order', () => {
    const timeline = new Timeline();
    for (const message of [chat('a', 1), chat('b', 1), chat('a', 2), chat('b', 2)]) expect(timeline.addChat(message)).toBe(true);
    expect(lines(timeline)).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('adds a message id once: a duplicate is refused and changes nothing', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('a', 1));
    timeline.addChat(chat('b', 1));
    expect(timeline.addChat({ ...chat('a', 1), body: { text: 'changed' } })).toBe(false);
    expect(timeline.addChat(chat('a', 9, 'a-msg-1'))).toBe(false);
    expect(lines(timeline)).toEqual(['a1', 'b1']);
    expect(timeline.hasChat('a-msg-1')).toBe(true);
    expect(timeline.hasChat('a-msg-2')).toBe(false);
  });

  it("puts a late message of a sender before that sender's later ones", () => {
    const timeline = new Timeline();
    for (const message of [chat('a', 1), chat('b', 1), chat('a', 3), chat('b', 2)]) timeline.addChat(message);
    timeline.addChat(chat('a', 2));
    expect(lines(timeline)).toEqual(['a1', 'b1', 'a2', 'a3', 'b2']);
  });

  it("leaves other senders' messages where they are", () => {
    const timeline = new Timeline();
    for (const message of [chat('a', 5), chat('b', 1), chat('b', 2), chat('c', 1)]) timeline.addChat(message);
    timeline.addChat(chat('b', 3));
    timeline.addChat(chat('a', 4));
    expect(lines(timeline)).toEqual(['a4', 'a5', 'b1', 'b2', 'c1', 'b3']);
  });

  it("sorts several late messages of one sender into the sender's order", () => {
    const timeline = new Timeline();
    for (const seq of [4, 2, 3, 1]) timeline.addChat(chat('a', seq));
    expect(lines(timeline)).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('keeps the flags it is given', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('me', 1), true, 'pending');
    timeline.addChat(chat('you', 1));
    expect(timeline.entries()).toMatchObject([
      { kind: 'chat', own: true, status: 'pending' },
      { kind: 'chat', own: false, status: 'delivered' },
    ]);
  });
});

describe('Timeline.addSystem', () => {
  it('appends system lines among chats without disturbing sender order', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('a', 1));
    timeline.addSystem('s1', 'Bob joined', 15);
    timeline.addChat(chat('a', 3));
    timeline.addChat(chat('a', 2));
    expect(lines(timeline)).toEqual(['a1', '#Bob joined', 'a2', 'a3']);
    expect(timeline.entries()[1]).toStrictEqual({ kind: 'system', id: 's1', ts: 15, text: 'Bob joined' });
  });

  it('does not count system lines as chats', () => {
    const timeline = new Timeline();
    timeline.addSystem('a-msg-1', 'hello', 1);
    expect(timeline.hasChat('a-msg-1')).toBe(false);
    expect(timeline.addChat(chat('a', 1))).toBe(true);
  });
});

describe('Timeline.setStatus', () => {
  it('changes the status of a chat once and reports whether it changed', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('me', 1), true, 'pending');
    expect(timeline.setStatus('me-msg-1', 'delivered')).toBe(true);
    expect(timeline.setStatus('me-msg-1', 'delivered')).toBe(false);
    expect(timeline.entries()[0]).toMatchObject({ kind: 'chat', status: 'delivered', own: true });
    expect(timeline.setStatus('me-msg-1', 'failed')).toBe(true);
    expect(timeline.entries()[0]).toMatchObject({ status: 'failed' });
  });

  it('ignores unknown ids and system lines', () => {
    const timeline = new Timeline();
    timeline.addSystem('sys', 'x', 1);
    expect(timeline.setStatus('nope', 'failed')).toBe(false);
    expect(timeline.setStatus('sys', 'failed')).toBe(false);
    expect(timeline.entries()).toStrictEqual([{ kind: 'system', id: 'sys', ts: 1, text: 'x' }]);
  });

  it('does not change a snapshot taken earlier', () => {
    const timeline = new Timeline();
    timeline.addChat(chat('me', 1), true, 'pending');
    const before = timeline.entries();
    timeline.setStatus('me-msg-1', 'delivered');
    timeline.addChat(chat('me', 2));
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ status: 'pending' });
  });
});

describe('Timeline.recentChats', () => {
  const filled = (): Timeline => {
    const timeline = new Timeline();
    timeline.addChat(chat('a', 1));
    timeline.addSystem('s', 'x', 1);
    timeline.addChat(chat('b', 1));
    timeline.addChat(chat('a', 2));
    timeline.addSystem('t', 'y', 2);
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
    timeline.addChat(chat('a', 2));
    timeline.addChat(chat('a', 1));
    expect(timeline.recentChats(1).map((m) => m.body.text)).toEqual(['a2']);
  });
});

describe('Timeline capacity', () => {
  it(`keeps ${TIMELINE_CAPACITY} lines by default`, () => {
    const timeline = new Timeline();
    for (let seq = 1; seq <= TIMELINE_CAPACITY + 5; seq++) timeline.addChat(chat('a', seq));
    expect(timeline.entries()).toHaveLength(TIMELINE_CAPACITY);
    expect(lines(timeline)[0]).toBe('a6');
  });

  it('drops the oldest lines, system lines included, and forgets the dropped ids', () => {
    const timeline = new Timeline(3);
    timeline.addChat(chat('a', 1));
    timeline.addSystem('s', 'joined', 1);
    timeline.addChat(chat('a', 2));
    timeline.addChat(chat('a', 3));
    expect(lines(timeline)).toEqual(['#joined', 'a2', 'a3']);
    expect(timeline.hasChat('a-msg-1')).toBe(false);
    timeline.addChat(chat('b', 1));
    expect(lines(timeline)).toEqual(['a2', 'a3', 'b1']);
    // Forgotten, so the same id is new again (it came back after it had scrolled out).
    expect(timeline.addChat(chat('c', 1, 'a-msg-1'))).toBe(true);
    expect(lines(timeline)).toEqual(['a3', 'b1', 'c1']);
    expect(timeline.hasChat('a-msg-2')).toBe(false);
    expect(timeline.hasChat('a-msg-3')).toBe(true);
  });
});
