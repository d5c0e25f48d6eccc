import { describe, expect, it } from 'vitest';
import { messageKey, type DeliveredChat, type OutgoingChat } from '../../../shared/protocol/envelope.ts';
import { Outbox } from '../../../web/src/net/outbox.ts';
import { unsignedFields } from '../../support/signed-chat.ts';

const chat = (seq: number, from = 'me'): OutgoingChat => ({
  v: 1,
  type: 'chat',
  id: `msg-${from}-${seq}`.padEnd(8, '0'),
  from,
  seq,
  ts: seq,
  body: { text: `t${seq}` },
  ...unsignedFields,
});
const delivered = (message: OutgoingChat): DeliveredChat => ({ ...message, name: 'Me' });

describe('Outbox', () => {
  it('keeps messages until acknowledged, oldest first', () => {
    const outbox = new Outbox();
    outbox.add(chat(1), 0);
    outbox.add(chat(2), 0);
    expect(outbox.acknowledge(chat(1).id)).toBe(true);
    expect(outbox.acknowledge(chat(1).id)).toBe(false);
    expect(outbox.messages().map((m) => m.seq)).toEqual([2]);
  });

  it('reports each overdue message once', () => {
    const outbox = new Outbox();
    outbox.add(chat(1), 0);
    outbox.add(chat(2), 500);
    expect(outbox.takeOverdue(900, 1000)).toEqual([]);
    expect(outbox.takeOverdue(1100, 1000)).toEqual([chat(1).id]);
    expect(outbox.takeOverdue(2000, 1000)).toEqual([chat(2).id]);
    expect(outbox.takeOverdue(9000, 1000)).toEqual([]);
  });

  it('re-addresses pending messages to a successor peer id', () => {
    const outbox = new Outbox();
    outbox.add(chat(1, 'old'), 0);
    outbox.reassign('new');
    expect(outbox.messages()[0]?.from).toBe('new');
  });

  it('plans a resend of what the host lacks, in order, and counts what it holds as acknowledged', () => {
    const outbox = new Outbox();
    const [m1, m2, m3, m4] = [chat(1), chat(2), chat(3), chat(4)];
    outbox.add(m3!, 0);
    outbox.add(m4!, 0);
    // m1 and m2 were acknowledged by an earlier host; the new host has m2 and m4.
    const plan = outbox.planResend([m1!, m2!, m3!, m4!].map(delivered), new Set([m2!, m4!].map(messageKey)));
    expect(plan.resend.map((m) => m.seq)).toEqual([1, 3]);
    expect(plan.resend.every((m) => !('name' in m))).toBe(true);
    expect(plan.acknowledged).toEqual([m4!.id]);
    expect(outbox.messages().map((m) => m.seq)).toEqual([3]);
  });

  it('sends pending messages outside the recent window first', () => {
    const outbox = new Outbox();
    outbox.add(chat(1, 'old'), 0);
    outbox.reassign('me');
    const plan = outbox.planResend([delivered(chat(2))], new Set());
    expect(plan.resend.map((m) => m.seq)).toEqual([1, 2]);
  });
});
