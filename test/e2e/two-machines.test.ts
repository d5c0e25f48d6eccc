/**
 * The README's main case across two machines of one LAN: two network namespaces joined by a veth pair (see
 * test/support/netns.ts), the server and one browser on the first, a second browser on the second. Both browsers keep
 * their real WebRTC defaults: no loopback candidates, host addresses behind mDNS names, no permission grants. People
 * open the LAN address the server prints, a plain-http page that is not a secure context. Skipped, saying why, where
 * network namespaces cannot be made (not root, no iproute2, a kernel or container that refuses).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromiumThrough } from '../support/browser.ts';
import { makeTwoMachines, type TwoMachines } from '../support/netns.ts';
import { parseLine, spawnServer, type SpawnedServer } from '../integration/server/spawned-server.ts';
import { ChatPage } from './chat-page.ts';
import { chatRound, expectHost } from './steps.ts';

let lan: TwoMachines | string = 'not set up';
let server: SpawnedServer | undefined;
let browsers: Browser[] = [];

beforeAll(async () => {
  lan = makeTwoMachines();
  if (typeof lan === 'string') return;
  const machines = lan;
  server = await spawnServer(['--host', '0.0.0.0'], { LOG_LEVEL: 'info' }, machines.exec(0));
  browsers = await Promise.all([0, 1].map((i) => launchChromiumThrough(machines.exec(i as 0 | 1), machines.names[i as 0 | 1])));
});

afterAll(async () => {
  await Promise.all(browsers.map((browser) => browser.close()));
  server?.kill();
  await server?.exited();
  if (typeof lan !== 'string') lan.remove();
});

/** The addresses the server printed for people to open ("Open and share"). */
function printedUrls(spawned: SpawnedServer): string[] {
  const started = spawned.lines.map(parseLine).find((entry) => entry?.['msg'] === 'ChatUs is running');
  return (started?.['urls'] as string[] | undefined) ?? [];
}

/** A person at `url` on one machine: a fresh context, no permissions granted. */
async function personAt(browser: Browser, url: string): Promise<ChatPage> {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(url);
  return new ChatPage(page);
}

/**
 * What the page's first peer connection (recorded by {@link recordPeerConnections}) connected over: the selected
 * pair's candidate types, and the addresses its own offer or answer gave out.
 */
function linkOf(page: Page): Promise<{ localType: string; remoteType: string; offered: string[] } | null> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections[0];
    if (!pc) return null;
    const stats = [...(await pc.getStats()).values()];
    const transport = stats.find((s) => s.type === 'transport');
    const pair = stats.find((s) => s.id === transport?.selectedCandidatePairId);
    const local = stats.find((s) => s.id === pair?.localCandidateId);
    const remote = stats.find((s) => s.id === pair?.remoteCandidateId);
    const offered = (pc.localDescription?.sdp ?? '')
      .split(/\r?\n/)
      .filter((line) => line.startsWith('a=candidate:'))
      .map((line) => line.split(' ')[4] ?? '');
    return { localType: String(local?.candidateType), remoteType: String(remote?.candidateType), offered };
  });
}

/** Keeps every RTCPeerConnection the page makes in `window.peerConnections`, for their stats. */
async function recordPeerConnections(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const made: RTCPeerConnection[] = [];
    (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections = made;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        made.push(this);
      }
    };
  });
}

describe('two machines on one LAN (two network namespaces and a veth pair), browsers with real defaults', () => {
  it('people open the printed LAN address on each machine, join by invite link and chat both ways', { timeout: 90_000 }, async (context) => {
    if (typeof lan === 'string') {
      // Said on stderr too: vitest's default reporter shows a skipped test but not its note.
      console.warn(`SKIPPED two-machine test: ${lan}`);
      return context.skip(`two machines: ${lan}`);
    }
    const [first] = lan.addresses;
    const url = `http://${first}:${server!.port}/`;
    expect(printedUrls(server!)).toEqual([url]);

    const ann = await personAt(browsers[0]!, url);
    expect(await ann.isSecureContext()).toBe(false);
    await ann.join('Ann');
    const invite = await ann.inviteLink();
    expect(new URL(invite).searchParams.get('server')).toBe(`${first}:${server!.port}`);

    const bob = await personAt(browsers[1]!, 'about:blank');
    await recordPeerConnections(bob.page);
    await bob.page.goto(invite);
    expect(await bob.isSecureContext()).toBe(false);
    const pressed = performance.now();
    await bob.join('Bob');
    await bob.waitUntilConnected(30_000);
    await context.annotate(`Join pressed → linked to the host on the other machine: ${Math.round(performance.now() - pressed)} ms`);
    for (const person of [ann, bob]) await expectHost(person, 2, 'Ann');
    await chatRound([ann, bob], 'over the wire');
    await chatRound([bob, ann], 'and back');

    // Browser to browser across the veth, directly (host candidates: no STUN, no TURN), and with real defaults: the
    // addresses given out are mDNS names, not IP addresses.
    const link = await linkOf(bob.page);
    await context.annotate(`Bob's link: ${JSON.stringify(link)}`);
    expect(link).toMatchObject({ localType: 'host', remoteType: 'host' });
    expect(link!.offered.length).toBeGreaterThan(0);
    for (const address of link!.offered) expect(address).toMatch(/^[0-9a-f-]+\.local$/);
  });
});
