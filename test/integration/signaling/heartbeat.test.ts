import { afterEach, describe, expect, it } from 'vitest';
import { freshRoom, useServerAndClients, WsClient } from '../../support/ws-client.ts';

// A beat every 500 ms: a socket that stops answering WebSocket pings is dropped within two of them. (Much shorter, and a
// busy machine that holds this process's event loop past a beat could drop a socket whose answer is waiting unread.)
const { pool, server } = useServerAndClients({ heartbeatMs: 500 });
const deafClients: WsClient[] = [];
afterEach(() => deafClients.splice(0).forEach((client) => client.terminate()));

describe('the WebSocket heartbeat', () => {
  it('drops a socket that does not answer pings, takes it out of its room, and keeps the ones that do', async () => {
    const room = freshRoom('heartbeat');
    const ann = await pool.joined(room, 'Ann');
    // A client whose network vanished: its socket stays open, but nothing answers the server's pings.
    const deaf = await WsClient.open(server().wsUrl, { autoPong: false });
    deafClients.push(deaf);
    await deaf.join(room, 'Bob');
    await ann.client.next('roster', { where: (r) => r.members.length === 2 });

    expect((await deaf.closed()).code).toBe(1006);
    const after = await ann.client.next('roster', { where: (r) => r.members.length === 1 });
    expect(after.members.map((m) => m.name)).toEqual(['Ann']);
    // Ann's socket answered every ping of those beats and is still served.
    expect(ann.client.isOpen).toBe(true);
    const cid = await pool.joined(room, 'Cid');
    expect(cid.roster.members.map((m) => m.name)).toEqual(['Ann', 'Cid']);
    expect(ann.client.isOpen).toBe(true);
  });
});
