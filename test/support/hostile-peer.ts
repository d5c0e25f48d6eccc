import { encodePublicIdentity, type Identity } from '../../shared/crypto/identity.ts';
import type { SignalData } from '../../shared/protocol/fields.ts';
import { parseServerMessage, type RosterMessage } from '../../shared/protocol/server-message.ts';
import { OFFER_BURST } from '../../shared/limits.ts';
import { PeerLink } from '../../web/src/net/peer-link.ts';
import { nodeWebRtc } from './node-webrtc.ts';
import { signRawChat, testIdentity } from './signed-chat.ts';
import { WsClient } from './ws-client.ts';

/**
 * Hostile peers for adversarial tests: they join through the real signaling server like anyone, hold real WebRTC data
 * channels (PeerLink over node-datachannel), and then send whatever frames the test gives them, unchecked. A string
 * goes out exactly as given; anything else as its JSON. They keep their links alive (a member pings, a host answers
 * pings) so that what a test sees is the effect of its frames, not of silence.
 */

/**
 * Who a hostile peer is: a name and real keys (the same on every run for a name and room), which it joins with, so
 * that its own messages are signed as an honest peer's would be. What it sends is still whatever the test gives it.
 */
export class PeerIdentity {
  readonly identity: Identity;
  readonly publicText: string;

  constructor(
    readonly name: string,
    readonly room: string,
  ) {
    this.identity = testIdentity(`${name}@${room}`);
    this.publicText = encodePublicIdentity(this.identity.publicIdentity);
  }

  /** `frame` signed with these keys if it is a chat that can be signed; otherwise as it is (see signRawChat). */
  sign(frame: Record<string, unknown>): Record<string, unknown> {
    return signRawChat(this.identity, this.room, frame);
  }
}

/** Whatever a test sends: a raw string, or a value sent as JSON. */
export type RawFrame = string | object;

const frameText = (frame: RawFrame): string => (typeof frame === 'string' ? frame : JSON.stringify(frame));

/** A link on loopback, made the way Node peers make theirs. */
function nodeLink(initiator: boolean): PeerLink {
  const link = new PeerLink({ initiator, iceServers: [], wrtc: nodeWebRtc, extraConfig: { bindAddress: '127.0.0.1' } });
  // A hostile peer's links fail in many ways (replaced, refused, cut); failures end in `close`, which is enough.
  link.on('error', () => undefined);
  return link;
}

/** Resolves once `ready()` holds, re-checking on every wake-up; rejects after `timeoutMs` saying `what`. */
class Conditions {
  readonly #waiters = new Set<() => void>();

  wake(): void {
    for (const check of [...this.#waiters]) check();
  }

  until(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!ready()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`hostile peer: ${what} not within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }
}

/** A signaling socket that has joined a room, passing on every signal and roster it gets. */
class JoinedSocket {
  roster: RosterMessage | null = null;

  private constructor(
    readonly client: WsClient,
    readonly peerId: string,
  ) {}

  static async open(
    url: string,
    room: string,
    identity: PeerIdentity,
    onSignal: (from: string, data: SignalData) => void,
    onRoster: () => void,
  ): Promise<JoinedSocket> {
    const client = await WsClient.open(url);
    let socket: JoinedSocket | null = null;
    client.socket.on('message', (data) => {
      const parsed = parseServerMessage(data.toString());
      if (!parsed.ok || socket === null) return;
      if (parsed.value.type === 'signal' && parsed.value.data.type !== 'sealed') onSignal(parsed.value.from, parsed.value.data);
      if (parsed.value.type === 'roster') {
        socket.roster = parsed.value;
        onRoster();
      }
    });
    const { welcome, roster } = await client.join(room, identity.name, identity.publicText);
    socket = new JoinedSocket(client, welcome.peerId);
    socket.roster = roster;
    return socket;
  }

  signal(to: string, data: SignalData): void {
    if (this.client.isOpen) this.client.send({ type: 'signal', to, data });
  }

  leave(): void {
    if (this.client.isOpen) this.client.send({ type: 'leave' });
    this.client.terminate();
  }
}

/**
 * A member that opens one real data channel to its host and then sends the test's frames on it. It pings the host
 * every `pingMs` so the host does not drop it as silent, and records every frame the host sends it.
 */
export class HostileMember {
  /** Every frame the host sent, as text, oldest first. */
  readonly received: string[] = [];
  readonly #conditions = new Conditions();
  #socket!: JoinedSocket;
  #link: PeerLink | undefined;
  #hostId = '';
  #offerSdp: string | null = null;
  #ping: ReturnType<typeof setInterval> | undefined;
  /** Whether the current link closed. */
  #closed = false;

  private constructor(readonly identity: PeerIdentity) {}

  #openLink(): void {
    this.#link?.close();
    this.#closed = false;
    const link = nodeLink(true);
    this.#link = link;
    link.on('signal', (data) => {
      if (data.type === 'offer') this.#offerSdp = data.sdp;
      this.#socket.signal(this.#hostId, data);
    });
    link.on('message', (frame) => {
      this.received.push(frame);
      this.#conditions.wake();
    });
    link.on('open', () => this.#conditions.wake());
    link.on('close', () => {
      if (this.#link === link) this.#closed = true;
      this.#conditions.wake();
    });
  }

  /** Joins `room` as `name` and resolves once its data channel to the host is open and the host has answered on it. */
  static async join(url: string, room: string, name: string, pingMs = 200): Promise<HostileMember> {
    const member = new HostileMember(new PeerIdentity(name, room));
    member.#socket = await JoinedSocket.open(
      url,
      room,
      member.identity,
      (from, data) => {
        // Signals for the first link only; answers to offers the test floods with have no link to go to.
        if (from === member.#hostId && !member.isOpen) member.#link?.signal(data);
      },
      () => undefined,
    );
    member.#hostId = member.#socket.roster?.hostId ?? '';
    // node-datachannel sometimes refuses a candidate that comes before the answer and the link dies before it opens
    // (honest peers re-link the same way); within the host's offer burst, try again.
    for (let attempt = 1; ; attempt++) {
      member.#openLink();
      try {
        await member.#conditions.until(() => member.isOpen || member.#closed, 'a data channel to the host');
        if (member.isOpen) break;
      } catch (error) {
        if (attempt >= OFFER_BURST) throw error;
      }
      if (attempt >= OFFER_BURST) throw new Error('no data channel to the host');
    }
    member.#ping = setInterval(() => member.send({ type: 'ping', ts: Date.now() }), pingMs);
    // Open on this side is not yet usable both ways: wait for the host's answer to a ping.
    await member.settled();
    if (!member.isOpen) throw new Error('the host closed the new data channel');
    return member;
  }

  /** This member's peer id. */
  get peerId(): string {
    return this.#socket.peerId;
  }

  /** The host's peer id. */
  get hostId(): string {
    return this.#hostId;
  }

  /** Whether the data channel is open (the host may cut it). */
  get isOpen(): boolean {
    return this.#link?.isOpen === true;
  }

  /** Sends one frame on the data channel; false when it is closed. */
  send(frame: RawFrame): boolean {
    return this.#link?.send(frameText(frame)) ?? false;
  }

  /** Sends a fresh offer to the host through the signaling server (the SDP of this member's real offer, again). */
  offerAgain(): void {
    if (this.#offerSdp === null) throw new Error('no offer was made yet');
    this.#socket.signal(this.#hostId, { type: 'offer', sdp: this.#offerSdp });
  }

  /** The frames from the host that parse as JSON with this `type`. */
  receivedOfType(type: string): Record<string, unknown>[] {
    return this.received.flatMap((frame) => {
      const value = JSON.parse(frame) as Record<string, unknown>;
      return value['type'] === type ? [value] : [];
    });
  }

  /**
   * Resolves once the host has handled everything sent so far: a pong answers a ping sent after this call (the channel
   * is ordered, and one of the pings sent every `pingMs` passes once the host's budget refills), or the link closed.
   */
  settled(timeoutMs?: number): Promise<void> {
    const since = Date.now();
    const answered = (): boolean => this.receivedOfType('pong').some((pong) => typeof pong['ts'] === 'number' && pong['ts'] >= since);
    return this.#conditions.until(() => !this.isOpen || answered(), 'the host to handle what was sent', timeoutMs);
  }

  /** The `error` replies the signaling server sent (a refused signal, a rate limit). */
  signalingErrors(): string[] {
    return this.#socket.client.received.filter((frame): frame is string => typeof frame === 'string' && frame.includes('"error"'));
  }

  /** Resolves once `ready()` holds after some frame from the host (or the channel closing). */
  until(ready: () => boolean, what: string, timeoutMs?: number): Promise<void> {
    return this.#conditions.until(ready, what, timeoutMs);
  }

  /** Leaves the room and closes the channel. */
  leave(): void {
    clearInterval(this.#ping);
    this.#link?.close();
    this.#socket.leave();
  }
}

/** What a hostile host does with a member's frame besides recording it; returns nothing. */
export type HostileHostHandler = (host: HostileHost, from: string, frame: string) => void;

/**
 * A host: it joins an empty room (so the server makes it host), answers every member's offer with a real link, and
 * sends the test's frames to a member. By default it answers pings with pongs and nothing else: it relays nothing.
 */
export class HostileHost {
  /** Every frame each member sent, as text, oldest first. */
  readonly received = new Map<string, string[]>();
  readonly #links = new Map<string, PeerLink>();
  readonly #conditions = new Conditions();
  #socket!: JoinedSocket;
  #handler: HostileHostHandler = answerPings;

  private constructor(readonly identity: PeerIdentity) {}

  /** Joins `room` (which must be empty) as `name`. */
  static async join(url: string, room: string, name: string): Promise<HostileHost> {
    const host = new HostileHost(new PeerIdentity(name, room));
    const onSignal = (from: string, data: SignalData): void => host.#onSignal(from, data);
    host.#socket = await JoinedSocket.open(url, room, host.identity, onSignal, () => host.#conditions.wake());
    if (host.#socket.roster?.hostId !== host.#socket.peerId) throw new Error(`room ${room} already has a host`);
    return host;
  }

  /** This host's peer id. */
  get peerId(): string {
    return this.#socket.peerId;
  }

  /** The newest roster the server sent. */
  get roster(): RosterMessage | null {
    return this.#socket.roster;
  }

  /** Replaces what the host does with each member frame (recording it always happens). */
  onFrame(handler: HostileHostHandler): void {
    this.#handler = handler;
  }

  /** Resolves once the data channel to `peerId` is open. */
  linked(peerId: string, timeoutMs?: number): Promise<void> {
    return this.#conditions.until(() => this.#links.get(peerId)?.isOpen === true, `a link to ${peerId}`, timeoutMs);
  }

  /** Resolves once `ready()` holds after some frame, link or roster change. */
  until(ready: () => boolean, what: string, timeoutMs?: number): Promise<void> {
    return this.#conditions.until(ready, what, timeoutMs);
  }

  /** Sends one frame to a member; false when there is no open link to it. */
  send(peerId: string, frame: RawFrame): boolean {
    return this.#links.get(peerId)?.send(frameText(frame)) ?? false;
  }

  /** The frames a member sent that parse as JSON with this `type`. */
  receivedOfType(peerId: string, type: string): Record<string, unknown>[] {
    return (this.received.get(peerId) ?? []).flatMap((frame) => {
      const value = JSON.parse(frame) as Record<string, unknown>;
      return value['type'] === type ? [value] : [];
    });
  }

  /** Leaves the room: the server elects the member present longest. */
  leave(): void {
    for (const link of this.#links.values()) link.close();
    this.#links.clear();
    this.#socket.leave();
  }

  #onSignal(from: string, data: SignalData): void {
    if (data.type === 'offer') {
      this.#links.get(from)?.close();
      const link = nodeLink(false);
      this.#links.set(from, link);
      link.on('signal', (answer) => this.#socket.signal(from, answer));
      link.on('open', () => this.#conditions.wake());
      link.on('message', (frame) => {
        const frames = this.received.get(from) ?? [];
        frames.push(frame);
        this.received.set(from, frames);
        this.#handler(this, from, frame);
        this.#conditions.wake();
      });
      link.on('close', () => {
        if (this.#links.get(from) === link) this.#links.delete(from);
        this.#conditions.wake();
      });
    }
    this.#links.get(from)?.signal(data);
  }
}

/** The default handler: a pong for every ping, so members keep their link. */
export function answerPings(host: HostileHost, from: string, frame: string): void {
  const message = JSON.parse(frame) as { type?: unknown; ts?: unknown };
  if (message.type === 'ping') host.send(from, { type: 'pong', ts: message.ts });
}
