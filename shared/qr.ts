import { encode } from 'uqr';

/**
 * QR codes of invite links (uqr encodes; this only draws): the dark modules of a code for `text`, with `border`
 * light modules around it (4 is the standard quiet zone), as rows of booleans (true: dark).
 */
export function qrModules(text: string, border = 4): boolean[][] {
  return encode(text, { ecc: 'M', border }).data;
}

/** An SVG path (one unit per module) that fills every dark module: each run of dark modules in a row is one rectangle. */
export function qrPathData(modules: readonly (readonly boolean[])[]): string {
  const parts: string[] = [];
  modules.forEach((row, y) => {
    for (let x = 0; x < row.length; x += 1) {
      if (!row[x]) continue;
      const start = x;
      while (row[x + 1]) x += 1;
      parts.push(`M${start} ${y}h${x - start + 1}v1h-${x - start + 1}z`);
    }
  });
  return parts.join('');
}

/**
 * The code as text for a terminal: two rows of modules per line in half blocks (▀ ▄ █ and space for the dark ones),
 * each line in black on white (ANSI colours) so it scans whatever the terminal's own colours are.
 */
export function qrTerminalText(text: string): string {
  const modules = qrModules(text, 2);
  const lines: string[] = [];
  for (let y = 0; y < modules.length; y += 2) {
    const top = modules[y]!;
    const bottom = modules[y + 1] ?? top.map(() => false);
    const blocks = top.map((dark, x) => HALF_BLOCKS[(dark ? 2 : 0) + (bottom[x] ? 1 : 0)]).join('');
    lines.push(`${BLACK_ON_WHITE}${blocks}${RESET}`);
  }
  return lines.join('\n');
}

/** By (top dark ? 2 : 0) + (bottom dark ? 1 : 0): the character that draws the dark halves. */
const HALF_BLOCKS = [' ', '▄', '▀', '█'];
const BLACK_ON_WHITE = '\x1b[30;107m';
const RESET = '\x1b[0m';
