import { describe, expect, it } from 'vitest';
import type { DeliveredChat } from '../../../shared/protocol/envelope.ts';
import type { ChatEntry } from '../../../shared/timeline.ts';
import { burstSummary, jumpLabel, nameList, typingText } from '../../../web/src/components/notice-text.ts';

/** A line from `name` saying `text`; `direct` marks a private message to this person. */
function line(name: string, text: string, options: { direct?: boolean; file?: string } = {}): ChatEntry {
  const body = options.file ? { file: { transfer: 't', name: options.file, size: 1, type: '', sha256: 'x' } } : { text };
  const message = { from: name.toLowerCase(), id: text, name, body } as unknown as DeliveredChat;
  const direct = options.direct ? { toName: 'you' } : undefined;
  return { kind: 'chat', message, own: false, status: 'delivered', receivedAt: 0, unverified: false, text, direct, held: false };
}

describe('what the notices say', () => {
  it.each([
    [[], ''],
    [['Ann'], 'Ann is typing…'],
    [['Ann', 'Bo'], 'Ann and Bo are typing…'],
    [['Ann', 'Bo', 'Cy'], '3 people are typing…'],
    [['Ann', 'Bo', 'Cy', 'Di', 'Ed'], '5 people are typing…'],
  ])('typing %j: %j', (names, text) => {
    expect(typingText(names)).toBe(text);
  });

  it.each([
    [0, 'Jump to latest'],
    [1, 'Jump to latest (1 new)'],
    [12, 'Jump to latest (12 new)'],
  ])('the jump button with %i new: %j', (count, text) => {
    expect(jumpLabel(count)).toBe(text);
  });

  it.each([
    [[], ''],
    [['Ann'], 'Ann'],
    [['Ann', 'Bo'], 'Ann and Bo'],
    [['Ann', 'Bo', 'Cy'], 'Ann, Bo and Cy'],
    [['Ann', 'Bo', 'Cy', 'Di', 'Ed'], 'Ann, Bo and 3 others'],
  ])('names %j: %j', (names, text) => {
    expect(nameList(names)).toBe(text);
  });

  it('quotes a single line, counts a burst with who wrote it, and quotes nothing when asked not to', () => {
    expect(burstSummary([])).toBe('');
    expect(burstSummary([line('Ann', 'see you at 5')])).toBe('Ann: see you at 5');
    expect(burstSummary([line('Ann', 'psst', { direct: true })])).toBe('Ann (private): psst');
    expect(burstSummary([line('Ann', '', { file: 'plan.pdf' })])).toBe('Ann: sent the file plan.pdf');
    expect(burstSummary([line('Ann', 'x'.repeat(500))])).toBe(`Ann: ${'x'.repeat(139)}…`);
    expect(burstSummary([line('Ann', 'a'), line('Bo', 'b'), line('Ann', 'c')])).toBe('3 new messages from Ann and Bo');
    expect(burstSummary([line('Ann', 'secret')], { quote: false })).toBe('New message from Ann');
    expect(burstSummary([line('Ann', 'a'), line('Bo', 'b')], { quote: false })).toBe('2 new messages from Ann and Bo');
  });
});
