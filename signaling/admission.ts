import type { IncomingMessage } from 'node:http';
import { err, ok, type Result } from '../shared/result.ts';
import type { RejectReason } from './metrics.ts';

/** Who may open a signaling socket. */
export interface AdmissionPolicy {
  /** Origins allowed besides the server's own (normalised by {@link parseOrigins}); '*' allows any. */
  readonly allowedOrigins: ReadonlySet<string>;
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
}

/** A refusal: the HTTP status to answer the upgrade with, and the metrics reason. */
export interface Refusal {
  readonly status: 403 | 404 | 429 | 503;
  readonly reason: RejectReason;
}

/**
 * Decides whether an upgrade request may become a signaling socket, before any WebSocket work is done. Browsers
 * always send `Origin`; it must be the page's own origin (same host as the request) or an allowed one. Requests
 * without `Origin` come from programs, not pages, and cannot be used for cross-site attacks: they are allowed.
 */
export function admit(
  request: IncomingMessage,
  state: { readonly total: number; readonly fromIp: number; readonly shuttingDown: boolean },
  policy: AdmissionPolicy,
): Refusal | null {
  if (state.shuttingDown) return { status: 503, reason: 'shutting_down' };
  if (!originAllowed(request.headers.origin, request.headers.host, policy.allowedOrigins)) return { status: 403, reason: 'origin' };
  if (state.total >= policy.maxConnections) return { status: 503, reason: 'global_cap' };
  if (state.fromIp >= policy.maxConnectionsPerIp) return { status: 429, reason: 'per_ip_cap' };
  return null;
}

/**
 * Whether a browser page of `origin` may use this server (reached as `host`). `allowed` holds origins as
 * {@link parseOrigins} normalised them, or '*'. A default port may be written or left out on either side.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (origin === undefined) return true;
  if (allowed.has('*')) return true;
  // "null" (sandboxed frames, file: pages) and anything else that is not an http(s) origin is never allowed.
  const page = URL.canParse(origin) ? new URL(origin) : null;
  if (!page || (page.protocol !== 'http:' && page.protocol !== 'https:')) return false;
  if (allowed.has(page.origin)) return true;
  if (host === undefined || /[/?#@\\]/.test(host)) return false;
  const reached = `${page.protocol}//${host}`;
  return URL.canParse(reached) && new URL(reached).host === page.host;
}

/**
 * Checks and normalises `ALLOWED_ORIGINS` entries: `*`, or origins such as `https://chat.example.invalid` and
 * `http://localhost:5173` (scheme, host and port; no path). The error names the first bad entry.
 */
export function parseOrigins(entries: readonly string[]): Result<string[], string> {
  const origins: string[] = [];
  for (const entry of entries) {
    if (entry === '*') {
      origins.push('*');
      continue;
    }
    const url = URL.canParse(entry) ? new URL(entry) : null;
    const bare = url !== null && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !bare) {
      return err(`"${entry}" is not an origin such as https://chat.example.invalid or http://localhost:5173`);
    }
    origins.push(url.origin);
  }
  return ok(origins);
}
