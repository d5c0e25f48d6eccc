/** A piece of a message's text: plain text, or a web address to show as a link. */
export type TextSegment = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'link'; readonly text: string; readonly href: string };

/** An http(s) address in running text, up to the first space or character that cannot end one unescaped. */
const ADDRESS = /\bhttps?:\/\/[^\s<>"'`]+/gi;

/** Characters that usually end the sentence around an address rather than the address itself. */
const TRAILING = /[.,;:!?)\]}»”’]+$/;

/**
 * Cuts a message's text into plain text and links. Only http and https addresses become links (never javascript:,
 * data: or anything else), checked by the URL parser; the text is never read as markup. Never throws.
 */
export function textSegments(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let from = 0;
  for (const match of text.matchAll(ADDRESS)) {
    const address = match[0].replace(TRAILING, '');
    const href = webAddress(address);
    if (href === null) continue;
    const at = match.index;
    if (at > from) segments.push({ kind: 'text', text: text.slice(from, at) });
    segments.push({ kind: 'link', text: address, href });
    from = at + address.length;
  }
  if (from < text.length) segments.push({ kind: 'text', text: text.slice(from) });
  return segments;
}

/** The address as the URL parser writes it, when it is an http(s) one; null otherwise. */
function webAddress(address: string): string | null {
  try {
    const url = new URL(address);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
