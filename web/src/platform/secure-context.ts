/**
 * The one place the client touches browser APIs that exist only in secure contexts (https, localhost, 127.0.0.1),
 * each behind a fallback that works on a plain-http LAN page such as `http://192.168.1.20:8080/`, the address the
 * server prints. Those pages have no `crypto.randomUUID`, `crypto.subtle`, `navigator.clipboard`, `Notification` or
 * service worker (https://w3c.github.io/webappsec-secure-contexts/); `crypto.getRandomValues` works everywhere.
 * test/unit/web/secure-context.test.ts fails if any other client file names one of those APIs.
 */

/** Whether this page is a secure context, where the browser offers its secure-context-only APIs. */
export function isSecurePage(): boolean {
  return globalThis.isSecureContext === true;
}

/**
 * A random RFC 4122 version 4 UUID, as `crypto.randomUUID()` makes, from `crypto.getRandomValues` so that it works on
 * every page (RFC 9562 §5.4: 122 random bits, version and variant fixed).
 */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** How a copy went: on the clipboard, or only selected in its field for the person to copy by hand. */
export type CopyOutcome = 'copied' | 'selected';

/**
 * Copies `field`'s text to the clipboard; call it from the click that asked for the copy. The async clipboard API
 * exists only in secure contexts; elsewhere (and when it is refused) the text is selected and copied with
 * `document.execCommand('copy')`, which browsers still honour during a click. When that is refused too, the text is
 * left selected and the outcome says so, so the UI can ask for Ctrl+C rather than claim a copy that did not happen.
 */
export async function copyText(field: HTMLInputElement | HTMLTextAreaElement): Promise<CopyOutcome> {
  if (isSecurePage() && typeof navigator.clipboard?.writeText === 'function') {
    try {
      await navigator.clipboard.writeText(field.value);
      return 'copied';
    } catch {
      // Refused (no permission, document not focused): the selection route below may still work.
    }
  }
  field.focus();
  field.select();
  try {
    return document.execCommand('copy') ? 'copied' : 'selected';
  } catch {
    return 'selected';
  }
}

/**
 * Where desktop notifications stand on this page: `insecure` on a plain-http page (the API does not exist there),
 * `unsupported` where the browser has none, else the browser's permission: `default` (not asked yet), `granted`,
 * `denied`.
 */
export type NotificationAccess = 'insecure' | 'unsupported' | 'default' | 'granted' | 'denied';

/** Where desktop notifications stand now (see {@link NotificationAccess}). */
export function notificationAccess(): NotificationAccess {
  if (!isSecurePage()) return 'insecure';
  if (typeof globalThis.Notification !== 'function') return 'unsupported';
  return Notification.permission;
}

/**
 * Asks the browser for permission to notify, once: only from the click of a person who asked for notifications,
 * and only while it has not answered yet. Resolves with where notifications stand then.
 */
export async function askNotificationPermission(): Promise<NotificationAccess> {
  if (notificationAccess() !== 'default') return notificationAccess();
  try {
    await Notification.requestPermission();
  } catch {
    // A browser that refuses to ask (an old callback-only API, or an embedded page): the permission says what holds.
  }
  return notificationAccess();
}

/**
 * Shows a desktop notification, replacing the one with the same `tag` (one per room, not one per message); clicking
 * it brings the tab to the front. Returns false where notifications are not allowed or the browser refuses
 * (Chrome on Android takes them only from a service worker).
 */
export function notify(title: string, body: string, tag: string): boolean {
  if (notificationAccess() !== 'granted') return false;
  try {
    const notification = new Notification(title, { body, tag });
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
    return true;
  } catch {
    return false;
  }
}
