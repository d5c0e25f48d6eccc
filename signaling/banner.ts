import { qrTerminalText } from '../shared/qr.ts';

/** What `npm start` prints at a terminal: the addresses to open and share, and the first one as a QR code for phones. */
export function startBanner(urls: readonly string[]): string {
  const list = urls.map((url) => `  ${url}`).join('\n');
  const first = urls[0];
  const code = first === undefined ? '' : `\nScan to open ${first} on a phone on this network:\n${qrTerminalText(first)}\n`;
  return `\nChatUs is running. Open and share:\n${list}\n${code}\n`;
}
