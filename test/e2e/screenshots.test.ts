import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChatPage } from './chat-page.ts';
import { useE2eFixture } from './fixture.ts';

/**
 * The README's pictures, taken from the real app on every e2e run so that they never show an older page. The clock,
 * the locale, the port, the room and every line are fixed, so a run that changes nothing on screen writes the same
 * files again.
 */
const e2e = useE2eFixture({ clock: '10:00', locale: 'en-US', port: 8080 });

const folder = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const DESKTOP = { width: 800, height: 600 };
const PHONE = { width: 360, height: 640 };
/** Each picture stays small enough for a README (they are committed). */
const MAX_BYTES = 100 * 1024;

/**
 * How many pixels differ between two PNGs of the same size, counted by a blank page of `person`'s browser (so no
 * PNG decoder is needed here).
 */
async function differingPixels(person: ChatPage, a: Buffer, b: Buffer): Promise<number> {
  const blank = await person.page.context().newPage();
  try {
    return await blank.evaluate(async ([first, second]) => {
      const pixels = async (base64: string): Promise<Uint8ClampedArray> => {
        const image = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
        const canvas = new OffscreenCanvas(image.width, image.height);
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        return context.getImageData(0, 0, image.width, image.height).data;
      };
      const [x, y] = await Promise.all([pixels(first), pixels(second)]);
      let count = 0;
      for (let i = 0; i < x.length; i += 4) if (x[i] !== y[i] || x[i + 1] !== y[i + 1] || x[i + 2] !== y[i + 2]) count += 1;
      return count;
    }, [a.toString('base64'), b.toString('base64')] as const);
  } finally {
    await blank.close();
  }
}

/**
 * Takes the picture `name`.png of `person`'s page at `size`, and checks what was written. A picture that differs from
 * the one already there only in a few antialiased pixels (text and edges are not always drawn alike, run to run) is
 * not written, so that a run that changed nothing on screen leaves the committed files as they are.
 */
async function picture(person: ChatPage, name: string, size: { width: number; height: number }): Promise<void> {
  // Through another size first: the whole page is laid out and painted afresh, not patched where it changed last.
  await person.page.setViewportSize({ width: size.width + 10, height: size.height });
  await person.page.setViewportSize(size);
  // No focus ring or caret: they are not what the pictures are for.
  await person.page.evaluate(() => {
    let focused = document.activeElement;
    while (focused?.shadowRoot?.activeElement) focused = focused.shadowRoot.activeElement;
    if (focused instanceof HTMLElement) focused.blur();
  });
  const path = `${folder}${name}.png`;
  const shot = await person.page.screenshot({ animations: 'disabled', caret: 'hide' });
  const before = existsSync(path) ? readFileSync(path) : null;
  const same = before !== null && before.readUInt32BE(16) === size.width && before.readUInt32BE(20) === size.height &&
    (await differingPixels(person, before, shot)) <= (size.width * size.height) / 2000;
  if (!same) writeFileSync(path, shot);
  const png = readFileSync(path);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  // IHDR: width and height, big-endian, right after the signature and the chunk's length and type.
  expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual(size);
  expect(png.length, `${name}.png is ${png.length} bytes`).toBeLessThanOrEqual(MAX_BYTES);
}

/** What the busy room's people say, in order; `/msg` lines are private. */
const conversation: ReadonlyArray<readonly [number, string]> = [
  [0, 'Welcome to the book club! This week: The Dispossessed.'],
  [1, 'Halfway through. Anarres is harsh, and I like it.'],
  [2, 'My notes are up at https://notes.example.org/dispossessed'],
  [3, 'مرحبا بالجميع'],
  [1, '/msg Ann Can you bring the spare copy on Thursday?'],
  [0, 'Thursday at 7, then. Bring questions!'],
];

describe('README screenshots, from the real app', () => {
  it('writes docs/screenshots: the join form, a busy room, a phone-width room, the dark theme', { timeout: 90_000 }, async () => {
    mkdirSync(folder, { recursive: true });
    const ann = await e2e.person();
    await ann.page.setViewportSize(DESKTOP);
    await ann.page.getByLabel('Name', { exact: true }).fill('Ann');
    await ann.page.getByLabel('Room title', { exact: false }).fill('Book club');
    await picture(ann, 'join-form', DESKTOP);
    await ann.join('Ann', { room: 'book-club' });
    await ann.waitUntilConnected();
    const invite = await ann.inviteLink();

    const people = [ann];
    for (const name of ['Bob', 'Cara', 'Dan']) {
      const person = await e2e.person(invite);
      // Bob is the phone, at its size from the start as a phone's log would be; Cara's system is dark.
      if (name === 'Bob') await person.page.setViewportSize(PHONE);
      if (name === 'Cara') await person.page.emulateMedia({ colorScheme: 'dark' });
      await person.join(name);
      await person.waitUntilConnected();
      people.push(person);
    }
    await ann.waitForPeople(people.length);
    for (const [who, text] of conversation) {
      await people[who]!.say(text);
      const direct = /^\/msg Ann (.*)$/.exec(text);
      if (direct) await ann.waitForPrivateText(direct[1]!);
      else for (const person of people) await person.waitForText(text);
    }

    const [, bob, cara] = people as [ChatPage, ChatPage, ChatPage, ChatPage];
    await picture(ann, 'busy-room', DESKTOP);
    await picture(bob, 'phone-room', PHONE);
    await picture(cara, 'dark-room', DESKTOP);
  });
});
