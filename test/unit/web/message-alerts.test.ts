import { describe, expect, it } from 'vitest';
import type { DeliveredChat } from '../../../shared/protocol/envelope.ts';
import type { ChatEntry, TimelineEntry } from '../../../shared/timeline.ts';
import { MessageAlerts, TONE_INTERVAL_MS } from '../../../web/src/controllers/message-alerts.ts';
import { defaultPreferences, type Preferences } from '../../../web/src/storage/preferences.ts';

function line(name: string, id: string, options: { own?: boolean; direct?: boolean } = {}): ChatEntry {
  const message = { from: name.toLowerCase(), id, name, body: { text: id } } as DeliveredChat;
  const direct = options.direct ? { toName: 'Me' } : undefined;
  return { kind: 'chat', message, own: options.own ?? false, status: 'delivered', receivedAt: 0, unverified: false, text: id, direct, held: false };
}

function alerts(quote = true) {
  const clock = { now: 0 };
  const tones: number[] = [];
  const notes: string[] = [];
  const subject = new MessageAlerts({ now: () => clock.now, tone: () => void tones.push(clock.now), notify: (body) => void notes.push(body) }, quote);
  return { subject, clock, tones, notes };
}

const both: Preferences = { ...defaultPreferences, sound: true, notifications: true };

describe('notifications and the tone', () => {
  it('sound only for lines from others that arrive while the tab is hidden, after a first look at what was there', () => {
    const { subject, clock, tones, notes } = alerts();
    const log: TimelineEntry[] = [line('Ann', 'old')];
    subject.update(log, true, both);
    expect(tones).toEqual([]);
    log.push(line('Me', 'mine', { own: true }));
    subject.update(log, true, both);
    log.push(line('Ann', 'seen'));
    subject.update(log, false, both);
    expect(tones).toEqual([]);
    clock.now = 10_000;
    log.push(line('Ann', 'hello'));
    subject.update(log, true, both);
    expect(tones).toEqual([10_000]);
    expect(notes).toEqual(['Ann: hello']);
  });

  it('plays at most one tone an interval, and notifies every burst', () => {
    const { subject, clock, tones, notes } = alerts();
    const log: TimelineEntry[] = [];
    subject.update(log, true, both);
    for (const [at, id] of [[0, 'a'], [TONE_INTERVAL_MS - 1, 'b'], [TONE_INTERVAL_MS, 'c']] as const) {
      clock.now = at;
      log.push(line('Bo', id));
      subject.update(log, true, both);
    }
    expect(tones).toEqual([0, TONE_INTERVAL_MS]);
    expect(notes).toEqual(['Bo: a', 'Bo: b', 'Bo: c']);
  });

  it('does only what is switched on', () => {
    const { subject, tones, notes } = alerts();
    const log: TimelineEntry[] = [];
    subject.update(log, true, defaultPreferences);
    log.push(line('Bo', 'a'));
    subject.update(log, true, { ...defaultPreferences, sound: true });
    log.push(line('Bo', 'b'));
    subject.update(log, true, { ...defaultPreferences, notifications: true });
    expect(tones).toHaveLength(1);
    expect(notes).toEqual(['Bo: b']);
  });

  it('never quotes a private message, nor anything in a private room', () => {
    const open = alerts();
    open.subject.update([], true, both);
    open.subject.update([line('Ann', 'psst', { direct: true })], true, both);
    expect(open.notes).toEqual(['New message from Ann (private)']);
    const sealed = alerts(false);
    sealed.subject.update([], true, both);
    sealed.subject.update([line('Ann', 'plans')], true, both);
    expect(sealed.notes).toEqual(['New message from Ann']);
  });
});
