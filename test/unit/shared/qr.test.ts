import { describe, expect, it } from 'vitest';
import { qrModules, qrPathData, qrTerminalText } from '../../../shared/qr.ts';
import { readModules } from '../../support/qr-reader.ts';

const url = 'http://192.168.1.20:8080/?room=quiet-otter-42';

/** The modules a terminal text draws: each character is two rows (▀ top, ▄ bottom, █ both, space none). */
function modulesOfTerminal(text: string): boolean[][] {
  const rows: boolean[][] = [];
  for (const line of text.split('\n')) {
    const cells = [...line.replace(/\x1b\[[0-9;]*m/g, '')];
    rows.push(cells.map((c) => c === '▀' || c === '█'), cells.map((c) => c === '▄' || c === '█'));
  }
  return rows;
}

/** The modules an SVG path of unit rectangles fills. */
function modulesOfPath(d: string, size: number): boolean[][] {
  const rows = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const [, x, y, width] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let i = 0; i < Number(width); i += 1) rows[Number(y)]![Number(x) + i] = true;
  }
  return rows;
}

describe('invite QR codes', () => {
  it('the SVG path fills exactly the dark modules, and they read back as the link', () => {
    const modules = qrModules(url);
    expect(modulesOfPath(qrPathData(modules), modules.length)).toEqual(modules);
    expect(readModules(modules)).toBe(url);
  });

  it('the terminal text reads back as the link', () => {
    const text = qrTerminalText(url);
    expect(text).toContain('\x1b[30;107m');
    expect(readModules(modulesOfTerminal(text))).toBe(url);
  });
});
