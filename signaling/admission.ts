import type { IncomingMessage } from 'node:http';
import type { RejectReason } from './metrics.ts';

/** Who may open a signaling socket. */
export interface AdmissionPolicy {
  /** Origins allowed besides the server's own; '*' allows any. Empty: same origin only. */
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

/** Whether a browser page of `origin` may use this server (reached as `host`). */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (origin === undefined) return true;
  if (allowed.has('*') || allowed.has(origin)) return true;
  if (!URL.canParse(origin) || host === undefined) return false;
  return new URL(origin).host === host;
}
