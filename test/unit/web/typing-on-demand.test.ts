import { describe, expect, it, vi } from 'vitest';
import type { Roster } from '../../../shared/roster.ts';
import { TypingOnDemand } from '../../../web/src/net/typing-on-demand.ts';

/** A room's typing whose code loads on demand, with a role that records what it sends and a change counter. */
function onDemandFixture() {
  const sent: boolean[] = [];
  const roster: Roster = { hostId: 'me', members: [{ id: 'me', name: 'Me' }, { id: 'ann', name: 'Ann' }, { id: 'bo', name: 'Bo' }] };
  const changes = { count: 0, names: [] as string[] };
  const typing: TypingOnDemand = new TypingOnDemand({
    now: () => 1000,
    roster: () => roster,
    role: () => ({ sendTyping: (active) => void sent.push(active) }),
    later: () => undefined,
    // What the session would show on each change.
    changed: () => {
      changes.count += 1;
      changes.names.push(typing.names().join());
    },
  });
  return { typing, sent, changes };
}

describe('TypingOnDemand', () => {
  it('shows nobody and sends nothing before anyone types; a stop or a message before that is dropped', async () => {
    const { typing, sent, changes } = onDemandFixture();
    typing.spoke('ann');
    typing.heard('ann', false);
    typing.composing(false);
    typing.sent();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(typing.names()).toEqual([]);
    expect(sent).toEqual([]);
    expect(changes.count).toBe(0);
  });

  it("loads the code on someone's start, then plays back every call made meanwhile in its order", async () => {
    const { typing, changes } = onDemandFixture();
    typing.heard('ann', true);
    typing.heard('bo', true);
    typing.spoke('ann');
    expect(typing.names()).toEqual([]);
    await vi.waitFor(() => expect(typing.names()).toEqual(['Bo']));
    // Each change the playback reported already showed what it changed.
    expect(changes.names).toEqual(['Ann', 'Ann,Bo', 'Bo']);
    typing.heard('ann', true);
    expect(typing.names()).toEqual(['Ann', 'Bo']);
  });

  it("sends this person's start once the code is there, and nothing when typing is off", async () => {
    const on = onDemandFixture();
    on.typing.composing(true);
    await vi.waitFor(() => expect(on.sent).toEqual([true]));
    on.typing.composing(false);
    expect(on.sent).toEqual([true, false]);

    const off = onDemandFixture();
    off.typing.enabled = false;
    off.typing.composing(true);
    off.typing.heard('ann', true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(off.sent).toEqual([]);
    expect(off.typing.names()).toEqual([]);
  });
});
