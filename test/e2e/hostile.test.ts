import { describe, expect, it } from 'vitest';
import { textsOf, useE2eFixture } from './fixture.ts';

const e2e = useE2eFixture();

/**
 * Keeps every data channel a page opens on `window.__channels`, so that a test can play a member who modified the
 * client and sends its own frames. Runs before the page's own scripts.
 */
const captureChannels = (): void => {
  const spy = { channels: [] as RTCDataChannel[], sent: [] as string[] };
  (window as unknown as { __spy: typeof spy }).__spy = spy;
  const create = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (this: RTCPeerConnection, ...args) {
    const channel = create.apply(this, args);
    spy.channels.push(channel);
    const send = channel.send.bind(channel);
    channel.send = ((data: string) => {
      spy.sent.push(data);
      send(data);
    }) as RTCDataChannel['send'];
    return channel;
  };
};

describe('a member page that sends crafted frames (real Chromium)', () => {
  it('breaks no page: the host, another member and a late joiner keep working and keep history in order', { timeout: 120_000 }, async () => {
    const host = await e2e.person();
    await host.join('Hana');
    const invite = await host.inviteLink();
    const ann = await e2e.person(invite);
    await ann.join('Ann');
    const mal = await e2e.person(invite, captureChannels);
    await mal.join('Mal');
    await Promise.all([ann.waitUntilConnected(), mal.waitUntilConnected()]);
    await ann.say('before');
    await mal.waitForText('before');

    await mal.say('mal 1');
    await ann.waitForText('mal 1');

    // Mal's page sends what no honest client would, over its own open channel to the host, built on its own honest
    // frame (so `from` is Mal's real peer id).
    const sent = await mal.page.evaluate(() => {
      const spy = (window as unknown as { __spy: { channels: RTCDataChannel[]; sent: string[] } }).__spy;
      const channel = spy.channels.find((c) => c.readyState === 'open');
      const own = spy.sent.map((frame) => JSON.parse(frame) as { type: string }).find((frame) => frame.type === 'chat');
      if (!channel || !own) return 0;
      const frames: string[] = [];
      const forge = (fields: object): void => void frames.push(JSON.stringify({ ...own, ...fields }));
      forge({ id: 'far-future-1', seq: 50, ts: 8.64e15 + 1 });
      forge({ id: 'far-past-001', seq: 51, ts: -1e15 });
      forge({ id: 'latest-time-1', seq: 52, ts: 8.64e15, body: { text: 'from the end of time' } });
      forge({ id: 'back-dated-1', seq: 1, body: { text: 'back-dated' } });
      forge({ seq: 53, body: { text: 'same id again' } });
      frames.push('{"type":"chat"', 'null', '[]', JSON.stringify({ type: 'sync', have: 'everything' }));
      for (let i = 0; i < 2000; i++) frames.push(JSON.stringify({ type: 'ping', ts: i }));
      for (const frame of frames) channel.send(frame);
      return frames.length;
    });
    expect(sent).toBeGreaterThan(2000);

    // Every crafted chat changes fields Mal's signature covers (the Node adversarial suites sign theirs and test what a
    // validly signed but crafted line does): all are refused. Honest people carry on, in order.
    await host.say('after');
    for (const page of [ann, host]) await page.waitForText('after');
    await ann.say('still here');
    await host.waitForText('still here');
    const late = await e2e.person(invite);
    await late.join('Late');
    const expected = ['before', 'mal 1', 'after', 'still here'];
    for (const page of [host, ann, late]) {
      const seen = await page.waitForChatLines(expected.length);
      expect(seen.map((line) => line.text)).toEqual(expected);
    }
    expect(textsOf(await host.chatLines(), 'Ann')).toEqual(['before', 'still here']);
  });
});
