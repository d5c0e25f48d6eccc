import { describe, expect, it } from 'vitest';
import { TIMELINE_CAPACITY } from '../../shared/timeline.ts';
import { waitForCount } from './chat-page.ts';
import { useE2eFixture } from './fixture.ts';
import { LogWatch } from './log-watch.ts';

const e2e = useE2eFixture();

describe('a full log in Chromium: one more message draws one line', () => {
  it('adding a line to a log at its cap adds that line, drops the oldest and draws nothing else, at the host and at a member', { timeout: 120_000 }, async () => {
    const ann = await e2e.person();
    await ann.join('Ann');
    const invite = await ann.inviteLink();
    await ann.waitUntilConnected();
    const annLog = new LogWatch(ann.page);
    // Ann hosts alone, so her own lines need no network: her log fills to its cap at once.
    await annLog.writeLines('filler', TIMELINE_CAPACITY);
    const annLines = ann.log.getByRole('listitem');
    await ann.chatItem(`filler ${TIMELINE_CAPACITY - 1}`).waitFor();
    await waitForCount(annLines, TIMELINE_CAPACITY, 30_000, 'a full log');

    await annLog.start();
    await ann.say('one more');
    await ann.chatItem('one more').waitFor();
    expect(await annLog.changes()).toEqual({ added: ['one more'], removed: 1, changedIn: [], timesDrawn: 1 });
    expect(await annLines.count()).toBe(TIMELINE_CAPACITY);

    // A member's message: the host draws only it; the member draws it, then redraws only it as delivered.
    const bob = await e2e.person(invite);
    await bob.join('Bob');
    await bob.waitUntilConnected();
    await ann.waitForText('Bob joined');
    const bobLog = new LogWatch(bob.page);
    await Promise.all([annLog.start(), bobLog.start()]);
    await bob.say('from a member');
    await ann.chatItem('from a member').waitFor();
    await bob.chatItem('from a member').getByText('delivered', { exact: true }).waitFor();
    expect(await annLog.changes()).toEqual({ added: ['from a member'], removed: 1, changedIn: [], timesDrawn: 1 });
    const bobSaw = await bobLog.changes();
    expect(bobSaw.added).toEqual(['from a member']);
    expect(bobSaw.removed).toBe(0);
    expect(new Set(bobSaw.changedIn)).toEqual(new Set(['from a member']));
    expect(bobSaw.timesDrawn).toBe(2);
  });
});
