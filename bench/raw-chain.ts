import type { SignalData } from '../shared/protocol/fields.ts';
import type { PeerLink } from '../web/src/net/peer-link.ts';
import { bulkLow, nodeLink } from './direct.ts';
import { spawnHost, type HostProcess } from './host-process.ts';
import { progress } from './stats.ts';

/**
 * The raw two-hop chain: a → forwarder → b, where a and b are links in this process and the forwarder runs in its
 * own (bench/relay-host.ts raw). The same links and bulk channels ChatUs uses, and none of its code on the way: the
 * forwarder hands each frame on as it is, under b's high-water mark. What relaying costs on this machine before
 * ChatUs does anything.
 */
export interface RawChain {
  readonly a: PeerLink;
  readonly b: PeerLink;
  readonly forwarder: HostProcess;
  close(): void;
}

/** How long the chain may take to connect before it is made again. */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Starts the forwarder and connects both ends to it; resolves once both bulk channels are open. A link that fails
 * while connecting is made again, with a new forwarder (node-datachannel now and then refuses the answer: "Got a
 * remote candidate without ICE transport"; ChatUs sessions recover from that by linking again too).
 */
export async function openRawChain(attempts = 3): Promise<RawChain> {
  for (let attempt = 1; ; attempt++) {
    const chain = connect();
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CONNECT_TIMEOUT_MS).unref());
    const failed = (link: PeerLink) => new Promise<boolean>((resolve) => link.on('close', () => resolve(false)));
    const opened = Promise.all([bulkLow(chain.a), bulkLow(chain.b)]).then(() => true);
    if (await Promise.race([opened, failed(chain.a), failed(chain.b), timeout])) return chain;
    chain.close();
    if (attempt === attempts) throw new Error(`the raw two-hop chain did not connect in ${attempts} attempts`);
    progress('  the raw two-hop chain did not connect; connecting it again');
  }
}

function connect(): RawChain {
  const forwarder = spawnHost(['raw']);
  const a = nodeLink(true);
  const b = nodeLink(true);
  a.on('signal', (data) => forwarder.send({ link: 'a', data }));
  b.on('signal', (data) => forwarder.send({ link: 'b', data }));
  forwarder.onLine((line) => (line['link'] === 'a' ? a : b).signal(line['data'] as SignalData));
  return {
    a,
    b,
    forwarder,
    close: () => {
      a.close();
      b.close();
      forwarder.stop();
    },
  };
}
