import { describe, expect, it } from 'vitest';
import type { ChatPage } from './chat-page.ts';
import { sha256Of, useFileFolder } from './file-folder.ts';
import { useE2eFixture } from './fixture.ts';
import { linkedRoom } from './steps.ts';

const e2e = useE2eFixture();
const { makeFile } = useFileFolder();

describe('a file in real Chromium when a receiver reloads its page mid-way', () => {
  it('a receiver that reloads its page mid-way is offered Resume, goes on from what it kept, and the file verifies', { timeout: 180_000 }, async () => {
    const [, ann, bob] = (await linkedRoom(e2e, ['Hana', 'Ann', 'Bob'])) as [ChatPage, ChatPage, ChatPage];
    const file = makeFile('photos.zip', 96 * 1024 * 1024);
    await ann.files.attachFile(file.path);
    await bob.files.waitForFileProgress('photos.zip', 60_000, 4 * 1024 * 1024);
    // The page keeps what arrived in IndexedDB, a part at a time, once the store's code has loaded with the first
    // part: on a busy machine that takes a moment, and a reload before it keeps nothing (the file starts over).
    await bob.page.waitForFunction(
      () =>
        new Promise<boolean>((resolve) => {
          const open = indexedDB.open('chatus-partial-files');
          // Not made yet: this look must not make it (the page makes it with its store).
          open.onupgradeneeded = () => open.transaction?.abort();
          open.onerror = () => resolve(false);
          open.onsuccess = () => {
            const database = open.result;
            if (!database.objectStoreNames.contains('parts')) return resolve(false);
            const count = database.transaction('parts').objectStore('parts').count();
            count.onsuccess = () => (database.close(), resolve(count.result > 0));
            count.onerror = () => (database.close(), resolve(false));
          };
        }),
      undefined,
      { timeout: 30_000, polling: 200 },
    );
    await bob.reload();
    await bob.waitUntilConnected();
    // What arrived before the reload was kept (IndexedDB, which plain-http pages have too).
    expect(await bob.files.resumeFile('photos.zip')).toMatch(/^interrupted: \d+(\.\d)? MiB of 96 MiB arrived before the page was reloaded\./);
    const saved = await bob.files.download('photos.zip', 150_000);
    expect(sha256Of(saved.path)).toBe(file.sha256);
    expect(await ann.files.fileEnd('photos.zip')).toBe('sent');
  });
});
