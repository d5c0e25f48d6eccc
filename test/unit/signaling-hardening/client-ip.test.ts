import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientIp, ProxyList } from '../../../signaling/client-ip.ts';

function proxies(...entries: string[]): ProxyList {
  const parsed = ProxyList.parse(entries);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('ProxyList.parse', () => {
  it.each([['10.0.0.1'], ['10.0.0.0/8'], ['0.0.0.0/0'], ['::1'], ['fd00::/8'], ['::/0'], ['192.168.1.1/32']])('accepts %s', (entry) => {
    expect(ProxyList.parse([entry]).ok).toBe(true);
  });

  it.each([['localhost'], ['10.0.0.1/33'], ['::1/129'], ['10.0.0.0/8/8'], ['10.0.0.0/'], ['10.0.0.0/x'], ['10.0.0'], ['*'], ['']])(
    'refuses %j and names it',
    (entry) => {
      const parsed = ProxyList.parse([entry]);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toContain(`"${entry}"`);
    },
  );

  it('matches addresses and ranges of both families', () => {
    const list = proxies('10.0.0.0/8', '192.168.1.7', 'fd00::/8');
    expect([list.trusts('10.200.3.4'), list.trusts('192.168.1.7'), list.trusts('fd12::1')]).toStrictEqual([true, true, true]);
    expect([list.trusts('11.0.0.1'), list.trusts('192.168.1.8'), list.trusts('fe80::1'), list.trusts('nonsense')]).toStrictEqual([false, false, false, false]);
    expect(ProxyList.none().trusts('127.0.0.1')).toBe(false);
  });
});

describe('clientIp', () => {
  const trusted = proxies('127.0.0.1', '10.0.0.0/8');

  it.each<[string, string | undefined, string | string[] | undefined, ProxyList, string]>([
    ['no proxy trusted: the header is ignored', '203.0.113.9', '198.51.100.1', ProxyList.none(), '203.0.113.9'],
    ['an untrusted peer cannot claim an address', '203.0.113.9', '198.51.100.1', trusted, '203.0.113.9'],
    ['a trusted proxy names the client', '127.0.0.1', '198.51.100.1', trusted, '198.51.100.1'],
    ['an IPv4-mapped proxy address is the same proxy', '::ffff:127.0.0.1', '198.51.100.1', trusted, '198.51.100.1'],
    ['a chain of trusted proxies is walked back to the first untrusted hop', '127.0.0.1', '6.6.6.6, 198.51.100.1, 10.1.2.3', trusted, '198.51.100.1'],
    ['whatever the client wrote further left is not believed', '127.0.0.1', 'spoofed, 198.51.100.1', trusted, '198.51.100.1'],
    ['repeated headers are one chain', '127.0.0.1', ['6.6.6.6', '198.51.100.1, 10.0.0.2'], trusted, '198.51.100.1'],
    ['garbage at the nearest hop: the proxy itself', '127.0.0.1', '198.51.100.1, garbage', trusted, '127.0.0.1'],
    ['every hop trusted: the furthest one', '127.0.0.1', '10.0.0.5, 10.0.0.6', trusted, '10.0.0.5'],
    ['no header: the peer', '127.0.0.1', undefined, trusted, '127.0.0.1'],
    ['no peer address at all', undefined, undefined, trusted, 'unknown'],
    ['IPv6 clients', '127.0.0.1', '2001:db8::1', trusted, '2001:db8::1'],
  ])('%s', (_label, remote, header, list, expected) => {
    expect(clientIp(remote, header, list)).toBe(expected);
  });

  it('never throws, and answers the peer or one of the hops', () => {
    const hop = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('127.0.0.1', '10.9.9.9', '::ffff:10.0.0.1'), fc.string({ maxLength: 20 }));
    fc.assert(
      fc.property(fc.option(hop, { nil: undefined }), fc.option(fc.array(hop, { maxLength: 6 }), { nil: undefined }), (remote, hops) => {
        const answer = clientIp(remote, hops?.join(','), trusted);
        const unmapped = (address: string): string => address.replace(/^::ffff:(?=[0-9.]+$)/i, '');
        const candidates = [unmapped(remote ?? 'unknown'), ...(hops ?? []).map((address) => unmapped(address.trim()))];
        expect(candidates).toContain(answer);
        if (remote === undefined || !trusted.trusts(remote.replace(/^::ffff:/i, ''))) expect(answer).toBe(candidates[0]);
      }),
      { numRuns: 500 },
    );
  });
});
