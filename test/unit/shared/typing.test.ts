import { describe, expect, it } from 'vitest';
import { TYPING_EXPIRY_MS, TYPING_INTERVAL_MS } from '../../../shared/limits.ts';
import { TypingBoard, TypingSender } from '../../../shared/typing.ts';

describe('TypingSender', () => {
  it('sends a start at most once an interval while the person keeps typing', () => {
    const sender = new TypingSender();
    const sentAt = [0, 500, 1000, 2999, 3000, 3100, 5999, 6000].filter((now) => sender.typed(now));
    expect(sentAt).toEqual([0, 3000, 6000]);
    expect(TYPING_INTERVAL_MS).toBe(3000);
  });

  it('sends a stop only after a start that is still showing, and typing again waits for the interval', () => {
    const sender = new TypingSender();
    expect(sender.cleared(0)).toBe(false);
    expect(sender.typed(100)).toBe(true);
    expect(sender.cleared(200)).toBe(true);
    expect(sender.cleared(300)).toBe(false);
    // Typing and deleting over and over: no more than a start an interval.
    expect(sender.typed(400)).toBe(false);
    expect(sender.cleared(500)).toBe(false);
    expect(sender.typed(100 + TYPING_INTERVAL_MS)).toBe(true);
    // A start the others have already let expire needs no stop.
    expect(sender.cleared(100 + TYPING_INTERVAL_MS + TYPING_EXPIRY_MS)).toBe(false);
  });

  it('sends no stop after a message (the message clears it), and the next start still waits for the interval', () => {
    const sender = new TypingSender();
    expect(sender.typed(0)).toBe(true);
    sender.sent();
    expect(sender.cleared(10)).toBe(false);
    // However fast messages go, no more than a start an interval: an honest page stays inside the host's budget.
    expect(sender.typed(20)).toBe(false);
    sender.sent();
    expect(sender.typed(TYPING_INTERVAL_MS)).toBe(true);
  });
});

describe('TypingBoard', () => {
  const ann = { id: 'ann', name: 'Ann' };
  const bo = { id: 'bo', name: 'Bo' };
  const cy = { id: 'cy', name: 'Cy' };

  it('shows each start for the expiry time, in roster order, and forgets it after', () => {
    const board = new TypingBoard();
    expect(board.heard('bo', true, 0)).toBe(true);
    expect(board.heard('ann', true, 1000)).toBe(true);
    // A start renewed while it shows changes nothing on screen.
    expect(board.heard('bo', true, 2000)).toBe(false);
    expect(board.typing([ann, bo, cy], 2000)).toEqual([ann, bo]);
    expect(board.nextExpiry(2000)).toBe(1000 + TYPING_EXPIRY_MS);
    expect(board.typing([ann, bo, cy], 1000 + TYPING_EXPIRY_MS)).toEqual([bo]);
    expect(board.typing([ann, bo, cy], 2000 + TYPING_EXPIRY_MS)).toEqual([]);
    expect(board.nextExpiry(2000 + TYPING_EXPIRY_MS)).toBeUndefined();
  });

  it('clears a person on a stop, on their message, and when they are no longer in the roster', () => {
    const board = new TypingBoard();
    for (const peer of ['ann', 'bo', 'cy']) board.heard(peer, true, 0);
    expect(board.heard('ann', false, 10)).toBe(true);
    expect(board.heard('ann', false, 20)).toBe(false);
    expect(board.clear('bo')).toBe(true);
    expect(board.clear('bo')).toBe(false);
    expect(board.typing([ann, bo, cy], 30)).toEqual([cy]);
    // Cy left: forgotten, and not shown when a later roster has someone of that id again before the expiry.
    expect(board.typing([ann, bo], 40)).toEqual([]);
    expect(board.typing([ann, bo, cy], 50)).toEqual([]);
  });

  it('forgets everyone at once', () => {
    const board = new TypingBoard();
    board.heard('ann', true, 0);
    board.clearAll();
    expect(board.typing([ann], 1)).toEqual([]);
  });
});
