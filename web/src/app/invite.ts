import { cleanRoomTitle } from './room-title.ts';

/** What an invite link carries: which server and which room. */
export interface InviteTarget {
  readonly server: string;
  readonly room: string;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a hostname only works on this machine. */
export function isLoopback(hostname: string): boolean {
  return loopbackHosts.has(hostname) || hostname.startsWith('127.');
}

/**
 * The invite link for a room. A link that says "localhost" is useless to anyone else, so when the page or the server
 * is on loopback and the server told us its shareable address, that address is used instead.
 */
export function inviteLink(pageUrl: URL, target: InviteTarget, shareUrl: string | undefined): URL {
  const share = shareUrl && URL.canParse(shareUrl) ? new URL(shareUrl) : undefined;
  const base = share && isLoopback(pageUrl.hostname) ? share : pageUrl;
  const serverHost = hostnameOf(target.server);
  const server = share && serverHost !== null && isLoopback(serverHost) ? share.host : target.server;
  const link = new URL('/', base);
  link.searchParams.set('server', server);
  link.searchParams.set('room', target.room);
  return link;
}

/** Server and room from a page URL (an invite link), falling back to the page's own host. */
export function readInvite(pageUrl: URL): InviteTarget {
  return {
    server: pageUrl.searchParams.get('server') ?? pageUrl.host,
    room: pageUrl.searchParams.get('room') ?? '',
  };
}

/**
 * What an invite link's fragment (after `#`, which browsers never send to a server) holds: a private room's secret,
 * a room title, both, or neither. Written `#SECRET&title=Book+club`; a link of before titles (`#SECRET`) reads the same.
 */
export interface InviteFragment {
  /** A private room's secret in link form, or '' (an open room). Checked by the private-room code, not here. */
  readonly secret: string;
  /** The room's title, cleaned (see cleanRoomTitle), or ''. */
  readonly title: string;
}

/** The secret and the title in a page URL's fragment: the one part without `=` is the secret, `title=` the title. */
export function readInviteFragment(pageUrl: URL): InviteFragment {
  const parts = pageUrl.hash.replace(/^#/, '').split('&');
  const secret = parts.find((part) => part !== '' && !part.includes('=')) ?? '';
  const named = new URLSearchParams(parts.filter((part) => part.includes('=')).join('&'));
  return { secret, title: cleanRoomTitle(named.get('title') ?? '') };
}

/** `url` with `fragment` after `#` (what is empty is left out; with neither part, no fragment): the link to share. */
export function withFragment(url: URL, fragment: Partial<InviteFragment>): URL {
  const link = new URL(url);
  const title = fragment.title ? new URLSearchParams({ title: fragment.title }).toString() : '';
  link.hash = [fragment.secret ?? '', title].filter((part) => part !== '').join('&');
  return link;
}

/** `url` without any fragment: what the address bar shows once a private room's secret is read. */
export function withoutFragment(url: URL): URL {
  const bare = new URL(url);
  bare.hash = '';
  return bare;
}

function hostnameOf(server: string): string | null {
  const withScheme = /^[a-z]+:\/\//i.test(server) ? server : `http://${server}`;
  return URL.canParse(withScheme) ? new URL(withScheme).hostname : null;
}
