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

/** `url` with a private room's secret as its fragment: the link to share. */
export function withSecret(url: URL, invite: { readonly secret: string }): URL {
  const link = new URL(url);
  link.hash = invite.secret;
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
