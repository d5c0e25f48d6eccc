import { describe, expect, it } from 'vitest';
import { readPixels } from '../support/qr-reader.ts';
import { useE2eFixture } from './fixture.ts';
import { chatRound } from './steps.ts';

const e2e = useE2eFixture();

describe('the invite as a QR code, in Chromium at a LAN address over plain http', () => {
  it('shows on request as an SVG with an accessible name that reads back as the invite link, which works when opened', { timeout: 60_000 }, async () => {
    const hana = await e2e.person();
    await hana.join('Hana');
    const invite = await hana.inviteLink();
    const toggle = hana.page.getByRole('button', { name: 'QR code' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    const code = hana.page.getByRole('img', { name: 'QR code of the invite link' });
    await code.waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    // What a phone's camera would see: the SVG drawn as pixels.
    const drawn = await code.evaluate(async (svg: Element) => {
      const image = new Image();
      const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(svg)], { type: 'image/svg+xml' }));
      image.src = url;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 400;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#fff';
      context.fillRect(0, 0, 400, 400);
      context.drawImage(image, 0, 0, 400, 400);
      URL.revokeObjectURL(url);
      return Array.from(context.getImageData(0, 0, 400, 400).data);
    });
    expect(readPixels(Uint8ClampedArray.from(drawn), 400, 400)).toBe(invite);
    const ann = await e2e.person(readPixels(Uint8ClampedArray.from(drawn), 400, 400)!);
    await ann.join('Ann');
    await ann.waitUntilConnected();
    await chatRound([hana, ann], 'scanned');
    await toggle.click();
    await code.waitFor({ state: 'detached' });
  });
});
