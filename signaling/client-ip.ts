import { isIP } from 'node:net';

/**
 * The address a request came from. `X-Forwarded-For` is believed only when the direct peer is one of the operator's
 * trusted proxies; then the right-most address not itself a trusted proxy is the client (the left part of the header
 * is whatever the client chose to write).
 */
export function clientIp(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: ReadonlySet<string>): string {
  const direct = normalize(remoteAddress ?? 'unknown');
  if (!trusted.has(direct) || forwardedFor === undefined) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((hop) => normalize(hop.trim()))
    .filter((hop) => isIP(hop) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!trusted.has(hop)) return hop;
  }
  return direct;
}

/** "::ffff:127.0.0.1" and "127.0.0.1" are the same client. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
