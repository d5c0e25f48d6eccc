import { describe, expect, it } from 'vitest';
import type { ChatPage } from './chat-page.ts';
import { useE2eFixture } from './fixture.ts';

const e2e = useE2eFixture();

/** Everything a page put on the wire or took off it, as text: signaling frames and data-channel payloads. */
interface Wire {
  readonly signaling: string[];
  readonly channels: string[];
}

/**
 * Records, before the page's own scripts run, every frame of every WebSocket (sent and received) and every payload of
 * every data channel (sent and received, binary ones decoded as UTF-8) on `window.__wire`.
 */
const recordWire = (): void => {
  const wire = { signaling: [] as string[], channels: [] as string[] };
  (window as unknown as { __wire: typeof wire }).__wire = wire;
  const decoder = new TextDecoder();
  const asText = (data: unknown): string =>
    typeof data === 'string' ? data : data instanceof ArrayBuffer ? decoder.decode(data) : ArrayBuffer.isView(data) ? decoder.decode(data) : String(data);

  const NativeSocket = window.WebSocket;
  const socketSend = NativeSocket.prototype.send;
  NativeSocket.prototype.send = function (this: WebSocket, data) {
    wire.signaling.push(asText(data));
    socketSend.call(this, data);
  };
  window.WebSocket = class extends NativeSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.addEventListener('message', (event) => wire.signaling.push(asText(event.data)));
    }
  };

  const channelSend = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: never) {
    wire.channels.push(asText(data));
    channelSend.call(this, data);
  } as RTCDataChannel['send'];
  const listen = (channel: RTCDataChannel): void => {
    channel.addEventListener('message', (event) => wire.channels.push(asText(event.data)));
  };
  const NativeConnection = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends NativeConnection {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      this.addEventListener('datachannel', (event) => listen(event.channel));
    }

    override createDataChannel(...args: Parameters<RTCPeerConnection['createDataChannel']>): RTCDataChannel {
      const channel = super.createDataChannel(...args);
      listen(channel);
      return channel;
    }
  };
};

const wireOf = (page: ChatPage): Promise<Wire> => page.page.evaluate(() => (window as unknown as { __wire: Wire }).__wire);

describe('what the server and the relaying host can read, recorded on the wire (Chromium, plain-http LAN page)', () => {
  it('in a private room with DMs: no chat text, secret or SDP to the server; no DM or room text in the clear at the host', { timeout: 90_000 }, async () => {
    const hana = await e2e.person(undefined, recordWire);
    await hana.createPrivateRoom('Hana');
    await hana.waitUntilConnected();
    const invite = new URL(await hana.inviteLink());
    const secret = invite.hash.slice(1);
    const ann = await e2e.person(invite.href, recordWire);
    await ann.join('Ann');
    const bob = await e2e.person(invite.href, recordWire);
    await bob.join('Bob');
    await Promise.all([ann, bob].map((page) => page.waitUntilConnected()));
    await Promise.all([ann, bob, hana].map((page) => page.waitForPeople(3)));

    const room = ['room line from Ann: lunch at noon', 'room line from Bob: make it one'];
    const direct = ['DM from Ann: the door code word is Zanzibar', 'DM from Bob: got it, Zanzibar'];
    await ann.say(room[0]!);
    await bob.waitForText(room[0]!);
    await ann.say(`/msg Bob ${direct[0]!}`);
    await bob.waitForPrivateText(direct[0]!);
    await bob.say(`/msg Ann ${direct[1]!}`);
    await ann.waitForPrivateText(direct[1]!);
    await bob.say(room[1]!);
    for (const page of [hana, ann]) await page.waitForText(room[1]!);

    const [atHana, atAnn, atBob] = (await Promise.all([hana, ann, bob].map(wireOf))) as [Wire, Wire, Wire];
    // The recording is real: the pages did talk over both.
    for (const wire of [atHana, atAnn, atBob]) {
      expect(wire.signaling.length).toBeGreaterThan(0);
      expect(wire.channels.length).toBeGreaterThan(0);
    }
    expect(atHana.signaling.some((frame) => frame.includes('"sealed"'))).toBe(true);

    const signaling = [atHana, atAnn, atBob].flatMap((wire) => wire.signaling).join('\n');
    // Words long enough that random ids, ciphertext or timestamps cannot hold them by chance.
    for (const leak of [...room, ...direct, 'Zanzibar', 'lunch', secret, 'a=fingerprint', 'candidate:']) {
      expect(signaling, `signaling frames hold "${leak}"`).not.toContain(leak);
    }

    // The host relays ciphertext only: nothing anyone wrote is readable on its links, and the secret never travels.
    const atHost = atHana.channels.join('\n');
    expect(atHost).toContain('"type":"chat"');
    expect(atHost).toContain('"sealed"');
    for (const leak of [...room, ...direct, 'Zanzibar', 'lunch', secret]) {
      expect(atHost, `the host's data channels hold "${leak}"`).not.toContain(leak);
    }
    // The host's page shows the room lines (it is a member), and nothing of the DMs between others.
    const hostLines = (await hana.chatLines()).map((line) => line.text);
    expect(hostLines).toEqual(room);
    expect(await hana.privateLines()).toEqual([]);
  });
});
