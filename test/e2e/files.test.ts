import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatPage } from './chat-page.ts';
import { loadedWasmHashing, useFileFolder, sha256Of } from './file-folder.ts';
import { useE2eFixture } from './fixture.ts';
import { linkedRoom as linkedRoomOf } from './steps.ts';

const e2e = useE2eFixture();
const { folder, makeFile } = useFileFolder();
const linkedRoom = (...names: string[]) => linkedRoomOf(e2e, names);

/** A 1×1 png, base64. */
const ONE_PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('files in real Chromium, at a LAN address over plain http', () => {
  it('a 20 MiB file from a member reaches the host and another member intact, with visible progress', { timeout: 120_000 }, async () => {
    const [hana, ann, bob] = (await linkedRoom('Hana', 'Ann', 'Bob')) as [ChatPage, ChatPage, ChatPage];
    expect(await ann.isSecureContext()).toBe(false);

    const file = makeFile('report.bin', 20 * 1024 * 1024);
    for (const page of [ann, bob]) await page.files.watchProgress('report.bin');
    await ann.files.attachFile(file.path);
    for (const page of [hana, bob]) {
      const saved = await page.files.download('report.bin');
      expect(saved.suggested).toBe('report.bin');
      expect(sha256Of(saved.path)).toBe(file.sha256);
      expect(await page.files.fileCard('report.bin').locator('.facts').innerText()).toBe('20 MiB · application/octet-stream');
    }
    expect(await ann.files.fileEnd('report.bin')).toBe('sent');
    for (const page of [ann, bob]) {
      const seen = await page.files.progressSeen();
      expect(seen.max).toBe(20 * 1024 * 1024);
      expect(seen.now).toBeGreaterThan(0);
    }
    expect((await bob.files.progressSeen()).label).toBe('Receiving report.bin');
    // Each hashed it with hash-wasm (under the CSP: no violation reported).
    for (const page of [hana, ann, bob]) expect(await page.page.evaluate(loadedWasmHashing)).toBe(true);
    // Chat still flows after it.
    await bob.say('got it');
    await ann.waitForText('got it');
  });

  it('cancel mid-way: the sender stops a 400 MiB file for everyone, who see who cancelled', { timeout: 120_000 }, async () => {
    const [hana, ann] = (await linkedRoom('Hana', 'Ann')) as [ChatPage, ChatPage];

    const file = makeFile('big video.mp4', 400 * 1024 * 1024);
    await ann.files.attachFile(file.path);
    const through = await hana.files.waitForFileProgress('big video.mp4', 60_000);
    expect(through).toBeLessThan(400 * 1024 * 1024);
    await ann.files.cancelFile('big video.mp4');
    expect(await ann.files.fileEnd('big video.mp4')).toBe('cancelled by you');
    expect(await hana.files.fileEnd('big video.mp4')).toBe('cancelled by Ann');
    expect(await hana.files.fileCard('big video.mp4').getByRole('link').count()).toBe(0);
    // Chat goes on.
    await hana.say('no worries');
    await ann.waitForText('no worries');
  });

  it('a png is previewed inline from its Blob and saved under a safe name; a receiver cancels only its own copy', { timeout: 120_000 }, async () => {
    const [hana, ann, bob] = (await linkedRoom('Hana', 'Ann', 'Bob')) as [ChatPage, ChatPage, ChatPage];
    // A 1×1 png, named as a Windows device: it is offered as "_CON.png".
    const png = Buffer.from(ONE_PIXEL_PNG, 'base64');
    const path = join(folder, 'CON.png');
    writeFileSync(path, png);
    await ann.files.attachFile(path);
    const saved = await bob.files.download('CON.png');
    expect(saved.suggested).toBe('_CON.png');
    expect(readFileSync(saved.path).equals(png)).toBe(true);
    const preview = bob.files.fileCard('CON.png').getByRole('img', { name: 'CON.png' });
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);

    const file = makeFile('slides.pdf', 64 * 1024 * 1024);
    await hana.files.attachFile(file.path);
    await bob.files.waitForFileProgress('slides.pdf', 60_000);
    await bob.files.cancelFile('slides.pdf');
    expect(await bob.files.fileEnd('slides.pdf')).toBe('cancelled by you');
    const kept = await ann.files.download('slides.pdf', 30_000);
    expect(sha256Of(kept.path)).toBe(file.sha256);
    expect(await bob.files.fileEnd('slides.pdf')).toBe('cancelled by you');
  });
  it('an image pasted into the message box is sent like an attached file: another member gets it and sees it; pasted text stays text', { timeout: 120_000 }, async () => {
    const [hana, ann] = (await linkedRoom('Hana', 'Ann')) as [ChatPage, ChatPage];
    const png = Buffer.from(ONE_PIXEL_PNG, 'base64');
    // The real clipboard: a page of the same browser at 127.0.0.1 (a secure context) writes the image to it, and
    // Ann pastes with Ctrl+V into her page at the LAN address, which reads it from the paste event alone.
    await ann.files.copyToClipboard(png, 'image/png', e2e.server().httpUrl);
    await ann.messageBox.focus();
    await ann.page.keyboard.press('ControlOrMeta+V');
    const name = await ann.files.firstFileName();
    expect(name).toMatch(/\.png$/);
    const preview = hana.files.fileCard(name).getByRole('img', { name });
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 30_000 }).toBe(1);
    // The clipboard holds a picture, not a file: the browser hands the paste a png of its own making.
    const saved = await hana.files.download(name);
    expect(readFileSync(saved.path).subarray(0, 8).equals(png.subarray(0, 8))).toBe(true);

    await ann.files.copyToClipboard(Buffer.from('just words'), 'text/plain', e2e.server().httpUrl);
    expect(await ann.paste()).toBe('just words');
    expect(await ann.page.getByRole('log').locator('file-card').count()).toBe(1);
  });
});
