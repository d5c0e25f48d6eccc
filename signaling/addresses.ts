import { networkInterfaces } from 'node:os';

/**
 * The URLs people on other machines can open: `publicUrl` when the operator set one, else one per LAN address
 * (IPv4, non-internal) when listening on all interfaces, else the bound host.
 */
export function shareableUrls(host: string, port: number, publicUrl: string | undefined): string[] {
  if (publicUrl) return [new URL(publicUrl).href];
  const wildcard = host === '0.0.0.0' || host === '::';
  if (!wildcard) return [urlFor(host, port)];
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && info.family === 'IPv4' && !info.internal)
    .map((info) => urlFor(info!.address, port));
  return lan.length > 0 ? lan : [urlFor('localhost', port)];
}

function urlFor(host: string, port: number): string {
  const url = new URL('http://localhost');
  url.hostname = host.includes(':') ? `[${host}]` : host;
  url.port = String(port);
  return url.href;
}
