import { FILE_RESUME_TIMEOUT_MS } from '../../../../shared/limits.ts';
import type { FileDescription } from '../../../../shared/protocol/envelope.ts';
import type { TransferDetail, TransferState, TransferView } from './transfer-view.ts';

export type MutableView = { -readonly [K in keyof TransferView]: TransferView[K] };

/** Progress redraws at most this often; state changes at once. */
const PROGRESS_MS = 100;

/**
 * The transfers one tab shows, by transfer id: made, moved through their states, finished, paused while the host
 * changes (and failed when no host takes them on in FILE_RESUME_TIMEOUT_MS), with progress redraws throttled.
 */
export class TransferBoard {
  readonly #views = new Map<string, MutableView>();
  readonly #pausedAt = new Map<string, number>();
  readonly #now: () => number;
  readonly #changed: () => void;
  readonly #finished: (view: MutableView) => void;
  #progressTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #resumeTimers = new Set<ReturnType<typeof setTimeout>>();

  /** `finished` runs after a view reaches an end state, for its owner to forget what it held for it. */
  constructor(now: () => number, changed: () => void, finished: (view: MutableView) => void) {
    this.#now = now;
    this.#changed = changed;
    this.#finished = finished;
  }

  /** A copy of every view. */
  snapshot(): ReadonlyMap<string, TransferView> {
    return new Map([...this.#views].map(([id, view]) => [id, { ...view }]));
  }

  get(transfer: string): MutableView | undefined {
    return this.#views.get(transfer);
  }

  /** Views not yet done, cancelled or failed. */
  active(): MutableView[] {
    return [...this.#views.values()].filter(isActive);
  }

  add(transfer: string, direction: 'send' | 'receive', file: FileDescription, state: TransferState): MutableView {
    const view: MutableView = { transfer, direction, file, bytes: 0, startedAt: 0, updatedAt: this.#now(), state, detail: '', blob: undefined };
    this.#views.set(transfer, view);
    return view;
  }

  /** Data flows (again): sending or receiving by its direction. */
  flowing(view: MutableView): void {
    if (!isActive(view)) return;
    this.#pausedAt.delete(view.transfer);
    view.state = view.direction === 'send' ? 'sending' : 'receiving';
    view.detail = '';
    if (view.startedAt === 0) view.startedAt = this.#now();
    this.#changed();
  }

  /** The host left mid-transfer: the view waits for the next one, and fails if none takes it on in time. */
  pause(view: MutableView): void {
    if (view.state !== 'sending' && view.state !== 'receiving') return;
    view.state = 'paused';
    view.detail = 'host-left';
    this.#pausedAt.set(view.transfer, this.#now());
    const timer = setTimeout(() => {
      this.#resumeTimers.delete(timer);
      this.#expirePaused();
    }, FILE_RESUME_TIMEOUT_MS);
    this.#resumeTimers.add(timer);
    this.#changed();
  }

  finish(view: MutableView, state: 'done' | 'cancelled' | 'failed', detail: TransferDetail): void {
    view.state = state;
    view.detail = detail;
    view.updatedAt = this.#now();
    this.#pausedAt.delete(view.transfer);
    this.#finished(view);
    this.#changed();
  }

  /** Ends every active transfer as failed, for `detail`. */
  failActive(detail: TransferDetail): void {
    for (const view of this.active()) this.finish(view, 'failed', detail);
  }

  /** Bytes moved: redrawn at most every PROGRESS_MS. */
  progress(view: MutableView): void {
    view.updatedAt = this.#now();
    if (this.#progressTimer !== undefined) return;
    this.#progressTimer = setTimeout(() => {
      this.#progressTimer = undefined;
      this.#changed();
    }, PROGRESS_MS);
  }

  close(): void {
    clearTimeout(this.#progressTimer);
    for (const timer of this.#resumeTimers) clearTimeout(timer);
    this.#resumeTimers.clear();
  }

  #expirePaused(): void {
    const now = this.#now();
    for (const [transfer, since] of [...this.#pausedAt]) {
      const view = this.#views.get(transfer);
      if (view?.state === 'paused' && now - since >= FILE_RESUME_TIMEOUT_MS) this.finish(view, 'failed', 'no-new-host');
    }
  }
}

export function isActive(view: TransferView): boolean {
  return view.state !== 'done' && view.state !== 'cancelled' && view.state !== 'failed';
}
