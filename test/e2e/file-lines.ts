import type { Locator, Page } from 'playwright-core';

/** Files as a person meets them in the ChatUs page in Chromium: Attach file, and each file's line in the log. */
export class FileLines {
  constructor(readonly page: Page) {}

  /** The file line (its card in the log) for the file named exactly `name`. */
  fileCard(name: string): Locator {
    return this.page.getByRole('log').locator('file-card').filter({ has: this.page.locator('.name').getByText(name, { exact: true }) });
  }

  /** Picks the file at `path` with Attach file, as a person choosing it in the file dialog. */
  async attachFile(path: string): Promise<void> {
    await this.page.getByLabel('Attach file', { exact: true }).setInputFiles(path);
  }

  /** Picks the file at `path` with People: Send file for the person `name`, as a person choosing it in the dialog. */
  async sendFileTo(name: string, path: string): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByRole('button', { name: `Send file to ${name}`, exact: true }).click();
    await (await chooser).setFiles(path);
  }

  /**
   * Puts `bytes` of `type` on the browser's clipboard, as copying them in another app would: a page of this browser
   * profile at `secureOrigin` (a secure context, which the async clipboard needs) writes them.
   */
  async copyToClipboard(bytes: Buffer, type: string, secureOrigin: string): Promise<void> {
    const context = this.page.context();
    await context.grantPermissions(['clipboard-write'], { origin: secureOrigin });
    const writer = await context.newPage();
    try {
      await writer.goto(secureOrigin);
      await writer.bringToFront();
      await writer.evaluate(
        async ([base64, mime]) => {
          const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
          await navigator.clipboard.write([new ClipboardItem({ [mime]: new Blob([data], { type: mime }) })]);
        },
        [bytes.toString('base64'), type] as const,
      );
    } finally {
      await writer.close();
      await this.page.bringToFront();
    }
  }

  /** The name of the first file in the log, once there is one. */
  async firstFileName(timeoutMs = 30_000): Promise<string> {
    const name = this.page.getByRole('log').locator('file-card').first().locator('.name');
    await name.waitFor({ timeout: timeoutMs });
    return name.innerText();
  }

  /** What the page said about a file it would not send. */
  async fileAlert(): Promise<string> {
    const alert = this.page.locator('room-view .file-error');
    await alert.waitFor();
    return alert.innerText();
  }

  /**
   * Starts watching the progress bar of the file `name` (every 10 ms, in the page): {@link progressSeen} then says
   * the largest value shown and the bar's maximum. A fast transfer shows its bar for a fraction of a second.
   */
  async watchProgress(name: string): Promise<void> {
    await this.page.evaluate((fileName) => {
      const seen = { now: 0, max: 0, label: '' };
      (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
      const deep = (root: ParentNode, found: Element[]): Element[] => {
        for (const element of root.querySelectorAll('*')) {
          if (element.getAttribute('role') === 'progressbar') found.push(element);
          if (element.shadowRoot) deep(element.shadowRoot, found);
        }
        return found;
      };
      setInterval(() => {
        for (const bar of deep(document, [])) {
          const label = bar.getAttribute('aria-label') ?? '';
          if (!label.endsWith(` ${fileName}`)) continue;
          seen.now = Math.max(seen.now, Number(bar.getAttribute('aria-valuenow')));
          seen.max = Number(bar.getAttribute('aria-valuemax'));
          seen.label = label;
        }
      }, 10);
    }, name);
  }

  /** The largest progress the bar of the watched file showed, its maximum and its accessible name. */
  progressSeen(): Promise<{ now: number; max: number; label: string }> {
    return this.page.evaluate(() => (window as unknown as { progressSeen: { now: number; max: number; label: string } }).progressSeen);
  }

  /** Waits until the file `name` shows its progress bar with more than `past` bytes through; returns aria-valuenow. */
  async waitForFileProgress(name: string, timeoutMs = 30_000, past = 0): Promise<number> {
    const bar = this.fileCard(name).getByRole('progressbar');
    await this.page.waitForFunction(
      ([element, least]) => element !== null && Number(element.getAttribute('aria-valuenow')) > least,
      [await bar.elementHandle({ timeout: timeoutMs }), past] as const,
      // Every 50 ms, not on animation frames: a page in the background gets few of those, and a fast transfer would
      // be over before the wait noticed it had begun.
      { timeout: timeoutMs, polling: 50 },
    );
    return Number(await bar.getAttribute('aria-valuenow'));
  }

  /** Presses Resume on the file `name`, once the page offers it (a reload interrupted it); returns what the line said. */
  async resumeFile(name: string, timeoutMs = 30_000): Promise<string> {
    const line = this.fileCard(name).locator('.progress-text', { hasText: 'interrupted' });
    await line.waitFor({ state: 'attached', timeout: timeoutMs });
    const said = await line.innerText();
    const resume = this.fileCard(name).getByRole('button', { name: `Resume ${name}`, exact: true });
    // A reloaded log may not be at its newest line yet, and lines off screen are not laid out (content-visibility):
    // the person scrolls to it.
    await resume.scrollIntoViewIfNeeded({ timeout: timeoutMs });
    await resume.click();
    return said;
  }

  /**
   * Presses Cancel on the file `name`, at once: a click's checks (visible, stable, scrolled into view) took long
   * enough on a loaded machine for a 64 MiB transfer to end meanwhile, and the button went with it.
   */
  async cancelFile(name: string): Promise<void> {
    await this.fileCard(name).getByRole('button', { name: 'Cancel' }).dispatchEvent('click');
  }

  /** Waits until the file `name` ends (done, cancelled or failed) and returns what its line says then. */
  async fileEnd(name: string, timeoutMs = 60_000): Promise<string> {
    const end = this.fileCard(name).locator('.end').first();
    await end.waitFor({ timeout: timeoutMs });
    return end.innerText();
  }

  /** Presses "Download NAME" on the received file `name`; returns the name the browser saves it under and its bytes. */
  async download(name: string, timeoutMs = 60_000): Promise<{ suggested: string; path: string }> {
    const link = this.fileCard(name).getByRole('link', { name: /^Download / });
    await link.waitFor({ timeout: timeoutMs });
    const [download] = await Promise.all([this.page.waitForEvent('download'), link.click()]);
    return { suggested: download.suggestedFilename(), path: await download.path() };
  }
}
