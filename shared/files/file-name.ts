/**
 * A file name as it is offered for download: whatever a sender announced, made safe to save. No path separators or
 * characters Windows refuses, no control or format characters (bidi overrides hide a real extension), no reserved
 * device names, no leading dots (hidden files), no trailing dots or spaces; the extension is kept when shortening.
 */

/** Longest name offered for download, in UTF-16 code units. */
export const MAX_DOWNLOAD_NAME_LENGTH = 120;

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
// Path separators, Windows-forbidden punctuation, and control, format and line/paragraph separator characters.
const UNSAFE = /[/\\:*?"<>|\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** The name to save `announced` under; "download" when nothing usable is left. */
export function sanitizeFileName(announced: string): string {
  let name = announced.normalize('NFC').replace(UNSAFE, '_').trim();
  name = name.replace(/^\.+/, (dots) => '_'.repeat(dots.length)).replace(/[. ]+$/, '');
  if (name.replace(/_/g, '') === '') return 'download';
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const extension = dot > 0 ? name.slice(dot) : '';
  const safeStem = RESERVED.test(stem.split('.')[0]!.trim()) ? `_${stem}` : stem;
  return shorten(safeStem, extension.length > 20 ? '' : extension);
}

function shorten(stem: string, extension: string): string {
  const room = MAX_DOWNLOAD_NAME_LENGTH - extension.length;
  const chars = [...stem];
  const kept = chars.length > room ? chars.slice(0, room).join('').replace(/[. ]+$/, '') : stem;
  return `${kept}${extension}`;
}

/** Media types shown inline as an image: raster only, decoded as an `<img>`. Never SVG or HTML (they run code). */
const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Whether a file of media type `type` gets an inline preview. */
export function isPreviewableImage(type: string): boolean {
  return PREVIEWABLE.has(type.toLowerCase().split(';')[0]!.trim());
}
