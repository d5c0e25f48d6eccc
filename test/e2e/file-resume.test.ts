import { describe, expect, it } from 'vitest';
import type { ChatPage } from './chat-page.ts';
import { sha256Of, useFileFolder } from './file-folder.ts';
import { useE2eFixture } from './fixture.ts';
import { expectHost, linkedRoom } from './steps.ts';

const e2e = useE2eFixture();
const { makeFile } = useFileFolder();

describe('a file in real Chromium when the host page closes mid-way', () => {
  it('carries on through the new host with no one doing anything, and still verifies', { timeout: 180_000 }, async () => {
    const [hana, ann, bob] = (await linkedRoom(e2e, ['Hana', 'Ann', 'Bob'])) as [ChatPage, ChatPage, ChatPage];
    const file = makeFile('backup.tar', 96 * 1024 * 1024);
    await bob.files.attachFile(file.path);
    const before = await ann.files.waitForFileProgress('backup.tar', 60_000);
    await hana.page.close();
    // Ann joined first after Hana, so she hosts now; Bob's file goes on to her from where she stood.
    await expectHost(ann, 2, 'Ann');
    const saved = await ann.files.download('backup.tar', 150_000);
    expect(sha256Of(saved.path)).toBe(file.sha256);
    expect(await bob.files.fileEnd('backup.tar')).toBe('sent');
    expect(before).toBeLessThan(96 * 1024 * 1024);
    // Chat goes on.
    await bob.say('all there?');
    await ann.waitForText('all there?');
  });
});
