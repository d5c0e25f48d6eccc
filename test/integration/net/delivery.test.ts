import { describe, expect, it } from 'vitest';
import type { DeliveryStatus } from '../../../shared/timeline.ts';
import type { RoomSession } from '../../../web/src/net/room-session.ts';
import { useNetFixture } from '../../support/net-fixture.ts';
import { chatLines, fastLiveness, until } from '../../support/sessions.ts';

const net = useNetFixture();

function statusOf(session: RoomSession, text: string): DeliveryStatus | undefined {
  const entry = session.snapshot().timeline.find((e) => e.kind === 'chat' && e.text === text);
  return entry?.kind === 'chat' ? entry.status : undefined;
}

describe('delivery status and host hand-over', () => {
  it('shows an unacknowledged message as not delivered, then delivered once a new host takes it', async () => {
    // The host watch is slow on purpose, so the host stays dead in the roster longer than failedAfterMs.
    const pool = await net.start({ heartbeatMs: 60_000, hostWatch: { pingIntervalMs: 1000, maxMissedPings: 7 } });
    const host = net.spawn('d1', 'Hana');
    await host.next((e) => e.event === 'role' && e.role === 'host');
    const ann = await pool.join('d1', 'Ann');
    await until(ann, (s) => s.linkedToHost);

    host.freeze();
    expect(ann.send('into the void').ok).toBe(true);
    expect(statusOf(ann, 'into the void')).toBe('pending');
    await until(ann, () => statusOf(ann, 'into the void') === 'failed', 8000);
    await until(ann, (s) => s.role === 'host', 15_000);
    expect(statusOf(ann, 'into the void')).toBe('delivered');
    const bob = await pool.join('d1', 'Bob');
    const seen = await until(bob, (s) => chatLines(s).includes('Ann: into the void'));
    expect(chatLines(seen).filter((line) => line === 'Ann: into the void')).toHaveLength(1);
  });

  it('hands the host role on when the host tab has used up its peer-connection budget', async () => {
    const pool = await net.start();
    // Only the first host's tab is nearly worn out; everyone else has the default budget.
    const wornPool = net.pool({ ...fastLiveness, peerConnectionBudget: 2 });
    const host = await wornPool.join('d2', 'Hana');
    const ann = await pool.join('d2', 'Ann');
    await until(ann, (s) => s.linkedToHost);
    expect(host.snapshot().role).toBe('host');
    const bob = await pool.join('d2', 'Bob');

    const after = await until(ann, (s) => s.role === 'host' && s.roster.members.length === 3);
    expect(after.roster.members.map((m) => m.name)).toEqual(['Ann', 'Bob', 'Hana']);
    await until(host, (s) => s.role === 'member' && s.linkedToHost);
    await until(bob, (s) => s.linkedToHost && s.roster.hostId === after.selfId);
    host.send('still here');
    const seen = await until(bob, (s) => chatLines(s).includes('Hana: still here'));
    expect(seen.roster.hostId).toBe(ann.snapshot().selfId);
  });
});
