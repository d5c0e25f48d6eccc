import { FILE_WINDOW_CHUNKS } from '../../../../shared/limits.ts';
import type { DataLink } from '../link.ts';
import type { HostRelay } from './host-relay.ts';

/** A member link handed to the relay while its code loads, with the bulk frames that came meanwhile. */
interface WaitingLink {
  readonly peerId: string;
  readonly link: DataLink;
  readonly frames: Uint8Array[];
  /** Whether it closed meanwhile (the relay never gets it). */
  closed: boolean;
  readonly stopListening: () => void;
}

/** Bulk frames kept per link while the relay loads; past them a flood is dropped (an honest member sends a window). */
const WAITING_FRAMES = 2 * FILE_WINDOW_CHUNKS;

interface Loading {
  readonly links: WaitingLink[];
  readonly calls: ((relay: HostRelay) => void)[];
}

/**
 * The hosting tab's file relay (HostRelay), its code loaded on first need: when the first member links to this tab
 * as host (a room's creator alone, and every member, never load it). Whatever is asked of it while it loads (links,
 * their bulk frames, transfers to start) waits and is handed to it, in order, once it is made.
 */
export class RelaySlot {
  #relay: HostRelay | null = null;
  #loading: Loading | null = null;

  /** The relay, once made (null while it loads or when this tab does not host). */
  get relay(): HostRelay | null {
    return this.#relay;
  }

  /** Whether this tab relays files now: the relay is made, or its code is loading. */
  get hosting(): boolean {
    return this.#relay !== null || this.#loading !== null;
  }

  /**
   * Hands a member link to the relay; the first one starts loading it: `make(HostRelay)` makes it then, `ready(relay)`
   * runs once it is this slot's relay, and it gets the links and calls that waited. A failed load leaves this tab
   * without a relay.
   */
  addLink(peerId: string, link: DataLink, make: (relayClass: typeof HostRelay) => HostRelay, ready: (relay: HostRelay) => void): void {
    if (this.#relay) return this.#relay.addLink(peerId, link);
    const frames: Uint8Array[] = [];
    const offBulk = link.on('bulk', (frame) => void (frames.length < WAITING_FRAMES && frames.push(frame)));
    const offClose = link.on('close', () => (waiting.closed = true));
    const waiting: WaitingLink = { peerId, link, frames, closed: false, stopListening: () => (offBulk(), offClose()) };
    if (this.#loading) return void this.#loading.links.push(waiting);
    const loading: Loading = { links: [waiting], calls: [] };
    this.#loading = loading;
    void import('./host-relay.ts').then(
      ({ HostRelay }) => this.#made(loading, make(HostRelay), ready),
      () => this.#drop(loading),
    );
  }

  /** Runs `call` on the relay: now, or once it is made; not at all when this tab does not host. */
  use(call: (relay: HostRelay) => void): void {
    if (this.#relay) call(this.#relay);
    else this.#loading?.calls.push(call);
  }

  /** Hosting ends: the relay is closed (or its loading forgotten). Whether this tab was hosting. */
  close(): boolean {
    const was = this.hosting;
    this.#relay?.close();
    this.#relay = null;
    if (this.#loading) this.#drop(this.#loading);
    return was;
  }

  #made(loading: Loading, relay: HostRelay, ready: (relay: HostRelay) => void): void {
    if (this.#loading !== loading) return relay.close();
    this.#loading = null;
    this.#relay = relay;
    ready(relay);
    for (const { peerId, link, frames, closed, stopListening } of loading.links) {
      stopListening();
      if (!closed) relay.addLink(peerId, link, frames);
    }
    for (const call of loading.calls) call(relay);
  }

  #drop(loading: Loading): void {
    for (const waiting of loading.links) waiting.stopListening();
    if (this.#loading === loading) this.#loading = null;
  }
}
