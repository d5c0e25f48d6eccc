import { msg, str } from '@lit/localize';
import type { SessionError } from '../net/session-types.ts';
import { formatBytes, formatNumber } from './number-format.ts';

/**
 * Why a message, a file or the room's connection did not go, in the language shown, from the session's error code
 * and what it carries (docs/protocol.md lists the codes). A code of the server or a host that the page has no words
 * for shows the words it came with.
 */
export function sessionErrorText(error: SessionError): string {
  const detail = error.detail ?? '';
  switch (error.code) {
    case 'ERR_NOT_CONNECTED':
      return msg('not connected to the room', { id: 'error.not-connected' });
    case 'ERR_EMPTY':
      return msg('it is empty', { id: 'error.empty' });
    case 'ERR_TOO_LONG':
      return msg(str`messages are limited to ${formatNumber(error.limit ?? 0)} characters`, { id: 'error.too-long' });
    case 'ERR_TOO_LARGE':
      return msg(str`the file is ${formatBytes(error.size ?? 0)}; this server allows files up to ${formatBytes(error.limit ?? 0)}`, {
        id: 'error.too-large',
      });
    case 'ERR_NO_RECIPIENT':
      return msg('that person is not in the room', { id: 'error.no-recipient' });
    case 'ERR_SELF_RECIPIENT':
      return msg('private messages go to someone else', { id: 'error.self-recipient' });
    case 'ERR_NO_KEYS':
      return detail
        ? msg(str`${detail}'s browser cannot receive private messages`, { id: 'error.no-keys' })
        : msg('their browser cannot receive private messages', { id: 'error.no-keys-unnamed' });
    case 'ERR_NOT_LOADED':
      return msg('the page could not load what sends files (reload it and try again)', { id: 'error.not-loaded' });
    case 'ERR_LINK_FAILED':
      return msg(str`cannot connect to the host (${detail}); still trying. If this goes on, reload the page`, { id: 'error.link-failed' });
    case 'ERR_NO_LINKS':
      return msg(str`this tab cannot open more connections (${detail}); reload the page to take part again`, { id: 'error.no-links' });
    case 'ERR_PROTOCOL':
      return msg(str`the server sent something this page does not understand (${detail})`, { id: 'error.protocol' });
    case 'ERR_DISCONNECTED':
      return msg(str`could not reach the server (${detail}); check the Server address and join again`, { id: 'error.disconnected' });
    case 'ERR_HOST_REFUSED':
      return msg(str`the host refused a message (${detail})`, { id: 'error.host-refused' });
    case 'ERR_LEFT':
      return msg('left the room before joining it', { id: 'error.left' });
    default:
      return detail || error.code;
  }
}
