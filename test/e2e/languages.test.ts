import { describe, expect, it } from 'vitest';
import { useE2eFixture } from './fixture.ts';

const e2e = useE2eFixture({ locale: 'de-DE', uiLanguage: 'browser' });

describe('languages, in Chromium whose browser language is German', () => {
  it('shows the join form in German with <html lang="de">, and the Language switch turns it to English and keeps that', async () => {
    const ann = await e2e.person();
    const { page } = ann;
    await page.getByRole('button', { name: 'Beitreten' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    await expect.poll(() => page.getByLabel('Raum', { exact: true }).count()).toBe(1);
    expect(await page.getByLabel('Sprache').inputValue()).toBe('de');

    await page.getByLabel('Sprache').selectOption('en');
    await ann.waitForJoinForm();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByLabel('Language').inputValue()).toBe('en');
    expect(await page.getByLabel('Name', { exact: true }).count()).toBe(1);

    // The choice outlives the page, over the browser's language.
    await ann.reload();
    await ann.waitForJoinForm();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('speaks German from the first check of the form: a join without a name is refused in German', async () => {
    const bea = await e2e.person();
    await bea.page.getByRole('button', { name: 'Beitreten' }).click();
    await expect.poll(() => bea.page.getByRole('alert').innerText()).toBe('Name: Gib den Namen ein, den die anderen sehen.');
  });

  it('shows the room in German too (header, status, message box, People), and Settings switches it', async () => {
    const cy = await e2e.person();
    const { page } = cy;
    await page.getByLabel('Name', { exact: true }).fill('Cy');
    await page.getByRole('button', { name: 'Beitreten' }).click();
    await page.getByRole('status').filter({ hasText: /^verbunden/ }).waitFor();
    await page.getByRole('button', { name: 'Verlassen' }).waitFor();
    await page.getByRole('textbox', { name: 'Nachricht' }).waitFor();
    expect(await page.getByRole('list', { name: 'Personen' }).getByRole('listitem').innerText()).toMatch(/Cy\s*Gastgeber\s*du/);
    expect(await page.getByRole('log', { name: 'Unterhaltung' }).count()).toBe(1);

    // Settings has the switch too: back to English without leaving the room.
    await page.getByRole('button', { name: 'Einstellungen' }).click();
    await page.getByLabel('Sprache').selectOption('en');
    await page.getByRole('button', { name: 'Leave' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it("says in German who joined and why a file was not sent, and the log's lines follow a switch to English", async () => {
    const joinInGerman = async (name: string, url?: string) => {
      const person = await e2e.person(url);
      await person.page.getByLabel('Name', { exact: true }).fill(name);
      await person.page.getByRole('button', { name: 'Beitreten' }).click();
      await person.page.getByRole('status').filter({ hasText: /^verbunden/ }).waitFor();
      return person;
    };
    const dee = await joinInGerman('Dee');
    const invite = await dee.page.getByRole('textbox', { name: 'Einladungslink' }).inputValue();
    await joinInGerman('Eli', invite);
    const log = dee.page.getByRole('log', { name: 'Unterhaltung' });
    await log.getByText('Eli ist beigetreten', { exact: true }).waitFor();

    // An empty file is refused before anything is sent, with the reason in German.
    await dee.page.getByLabel('Datei anhängen', { exact: true }).setInputFiles({ name: 'leer.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
    await expect.poll(() => dee.page.locator('room-view').getByRole('alert').innerText()).toBe('leer.txt wurde nicht gesendet: sie ist leer.');

    // Lines already drawn are drawn again in the new language.
    await dee.page.getByRole('button', { name: 'Einstellungen' }).click();
    await dee.page.getByLabel('Sprache').selectOption('en');
    await dee.page.getByRole('log', { name: 'Conversation' }).getByText('Eli joined', { exact: true }).waitFor();
    expect(await dee.page.getByText('Eli ist beigetreten').count()).toBe(0);
  });
});
