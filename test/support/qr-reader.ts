import jsQR from 'jsqr';

/** Decodes a QR code drawn as rows of modules (true: dark), with a light margin, by rendering it to pixels for jsQR. */
export function readModules(modules: readonly (readonly boolean[])[], scale = 4): string | null {
  const size = modules.length;
  const pixels = new Uint8ClampedArray(size * scale * size * scale * 4).fill(255);
  modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy += 1) {
        for (let dx = 0; dx < scale; dx += 1) {
          const at = ((y * scale + dy) * size * scale + x * scale + dx) * 4;
          pixels.fill(0, at, at + 3);
        }
      }
    }),
  );
  return readPixels(pixels, size * scale, size * scale);
}

/** Decodes a QR code in RGBA pixels; null when none is found. */
export function readPixels(pixels: Uint8ClampedArray, width: number, height: number): string | null {
  return jsQR(pixels, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}
