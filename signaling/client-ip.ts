import { BlockList, isIP } from 'node:net';
import { err, ok, type Result } from '../shared/result.ts';

/** The proxies whose `X-Forwarded-For` the server believes: addresses and CIDR ranges, IPv4 and IPv6. */
export class ProxyList {
  readonly #list = new BlockList();
  readonly #empty: boolean;

  private constructor(entries: readonly { address: string; bits: number | undefined; type: 'ipv4' | 'ipv6' }[]) {
    for (const { address, bits, type } of entries) {
      if (bits === undefined) this.#list.addAddress(address, type);
      else this.#list.addSubnet(address, bits, type);
    }
    this.#empty = entries.length === 0;
  }

  /** No proxy is trusted: `X-Forwarded-For` is ignored (the default). */
  static none(): ProxyList {
    return new ProxyList([]);
  }

  /** Parses `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`…; the error names the first entry that is neither. */
  static parse(entries: readonly string[]): Result<ProxyList, string> {
    const parsed = [];
    for (const entry of entries) {
      const [address = '', prefix, extra] = entry.split('/');
      const family = isIP(address);
      const bits = prefix === undefined ? undefined : /^[0-9]{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
      if (family === 0 || extra !== undefined || (bits !== undefined && !(bits <= (family === 6 ? 128 : 32)))) {
        return err(`"${entry}" is not an IP address or CIDR range`);
      }
      parsed.push({ address, bits, type: family === 6 ? ('ipv6' as const) : ('ipv4' as const) });
    }
    return ok(new ProxyList(parsed));
  }

  /** Whether `address` is one of the trusted proxies. */
  trusts(address: string): boolean {
    const family = isIP(address);
    return !this.#empty && family !== 0 && this.#list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/**
 * The address a request came from. `X-Forwarded-For` is believed only when the direct peer is a trusted proxy; then
 * the chain is walked from the nearest hop back while each hop is a trusted proxy, and the first one that is not is
 * the client. Whatever lies further left was written by the client itself and is never believed, so nobody can claim
 * another address to slip past the per-address connection cap.
 */
export function clientIp(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: ProxyList): string {
  const direct = normalize(remoteAddress ?? 'unknown');
  if (forwardedFor === undefined || !trusted.trusts(direct)) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((hop) => normalize(hop.trim()));
  let client = direct;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] ?? '';
    // Not an address: garbage from the client. The last hop a trusted proxy vouched for is the best we know.
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!trusted.trusts(hop)) return hop;
  }
  return client;
}

/** "::ffff:127.0.0.1" (an IPv4 client on a dual-stack socket) and "127.0.0.1" are the same client. */
function normalize(address: string): string {
  return /^::ffff:[0-9.]+$/i.test(address) ? address.slice(7) : address;
}
