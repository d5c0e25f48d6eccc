import type { OpenedFile } from '../../../../shared/files/sealed-file.ts';
import type { FileHashing } from './file-hasher.ts';
import { IncomingFile } from './incoming-file.ts';
import type { PartialStore } from './partial-store.ts';
import type { MutableView } from './transfer-board.ts';

/**
 * Files received in part before this page was reloaded: what arrived is kept (PartialStore) as it comes; when the
 * file's announcement comes back with the room's history, the person is offered to resume it (state `interrupted`),
 * and Resume takes it up from the kept parts (hashed again), asking the host only for the rest.
 */
export class KeptFiles {
  readonly #store: PartialStore;
  readonly #hashing: FileHashing;
  /** Interrupted transfers waiting for Resume: the file as opened from its announcement. */
  readonly #waiting = new Map<string, OpenedFile>();

  constructor(store: PartialStore, hashing: FileHashing) {
    this.#store = store;
    this.#hashing = hashing;
  }

  /** A new incoming file whose parts are kept as they are made. */
  incoming(opened: OpenedFile): IncomingFile {
    const { transfer } = opened.description;
    return new IncomingFile(opened.description, this.#hashing.create(), opened.key, (part, chunks, bytes) => void this.#store.add(transfer, part, chunks, bytes));
  }

  /**
   * A file announced in the history this page got: if parts of it are kept (the page was reloaded mid-way), `view`
   * becomes `interrupted`, waiting for Resume; resolves whether it did.
   */
  async offer(view: MutableView, opened: OpenedFile): Promise<boolean> {
    const kept = await this.#store.load(opened.description.transfer);
    // Still waiting: not cancelled meanwhile.
    if (kept === null || kept.bytes >= opened.description.size || view.state !== 'waiting') return false;
    this.#waiting.set(view.transfer, opened);
    view.state = 'interrupted';
    view.bytes = kept.bytes;
    view.detail = 'reloaded';
    return true;
  }

  /** The interrupted file `transfer`, taken up from its kept parts; null when they cannot be read back (or none). */
  async resume(transfer: string): Promise<IncomingFile | null> {
    const opened = this.#waiting.get(transfer);
    const kept = opened && (await this.#store.load(transfer));
    if (!opened || !kept) return null;
    this.#waiting.delete(transfer);
    const { description, key } = opened;
    // Every kept byte is hashed again at once: with hash-wasm when it loads, rather than held while it does.
    await this.#hashing.ready();
    return IncomingFile.resumed(description, this.#hashing.create(), key, kept, (part, chunks, bytes) => void this.#store.add(transfer, part, chunks, bytes));
  }

  /** A received file ended for good (done, cancelled, damaged): what was kept of it goes. */
  forget(transfer: string): void {
    this.#waiting.delete(transfer);
    void this.#store.drop(transfer);
  }
}
