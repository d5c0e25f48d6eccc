import type { CDPSession, Page } from 'playwright-core';

/** One JavaScript file a page downloaded. */
export interface ScriptFile {
  readonly url: string;
  /** Bytes received for it, headers included, as they came over the network (compressed, if it was). */
  readonly wire: number;
  /** Its body after decoding: what the file is uncompressed. */
  readonly body: number;
  /** Its Content-Encoding, or `identity`. */
  readonly encoding: string;
  readonly status: number;
}

/** The JavaScript a page downloaded in one stretch, file by file and summed. */
export interface ScriptTraffic {
  readonly files: readonly ScriptFile[];
  readonly wire: number;
  readonly body: number;
}

interface InFlight {
  url: string;
  body: number;
  encoding: string;
  status: number;
}

/**
 * Counts the JavaScript a Chromium page downloads, from the DevTools protocol's network events as the browser sees
 * them: `encodedDataLength` of each finished response (what came over the wire, with whatever Accept-Encoding
 * Chromium sent) and the decoded length of its body. The browser cache is off, so every file is a real download.
 */
export class ScriptRecorder {
  readonly #inFlight = new Map<string, InFlight>();
  #done: ScriptFile[] = [];

  private constructor(session: CDPSession) {
    session.on('Network.requestWillBeSent', ({ requestId, request }) => {
      if (new URL(request.url).pathname.endsWith('.js')) this.#inFlight.set(requestId, { url: request.url, body: 0, encoding: 'identity', status: 0 });
    });
    session.on('Network.responseReceived', ({ requestId, response }) => {
      const file = this.#inFlight.get(requestId);
      if (!file) return;
      file.status = response.status;
      const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), value]));
      file.encoding = headers['content-encoding'] ?? 'identity';
    });
    session.on('Network.dataReceived', ({ requestId, dataLength }) => {
      const file = this.#inFlight.get(requestId);
      if (file) file.body += dataLength;
    });
    session.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
      const file = this.#inFlight.get(requestId);
      if (!file) return;
      this.#inFlight.delete(requestId);
      this.#done.push({ ...file, wire: encodedDataLength });
    });
    session.on('Network.loadingFailed', ({ requestId }) => {
      const file = this.#inFlight.get(requestId);
      if (!file) return;
      this.#inFlight.delete(requestId);
      this.#done.push({ ...file, wire: 0, body: 0 });
    });
  }

  /** Starts counting what `page` downloads from now on. */
  static async record(page: Page): Promise<ScriptRecorder> {
    const session = await page.context().newCDPSession(page);
    const recorder = new ScriptRecorder(session);
    await session.send('Network.enable');
    await session.send('Network.setCacheDisabled', { cacheDisabled: true });
    return recorder;
  }

  /**
   * The scripts downloaded since the last take, once none is in flight and none has started for `quietMs` (a module
   * asks for its imports only once it has arrived).
   */
  async take(quietMs = 300, timeoutMs = 15_000): Promise<ScriptTraffic> {
    const deadline = Date.now() + timeoutMs;
    let seen = -1;
    while (this.#inFlight.size > 0 || seen !== this.#done.length) {
      if (Date.now() > deadline) throw new Error(`scripts still loading after ${timeoutMs} ms: ${[...this.#inFlight.values()].map((f) => f.url).join(', ')}`);
      seen = this.#inFlight.size > 0 ? -1 : this.#done.length;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
    const files = this.#done;
    this.#done = [];
    return { files, wire: sum(files.map((f) => f.wire)), body: sum(files.map((f) => f.body)) };
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
