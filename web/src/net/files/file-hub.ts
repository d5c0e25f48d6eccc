import { toBase64url } from '../../../../shared/crypto/encoding.ts';
import type { RandomBytes } from '../../../../shared/crypto/random.ts';
import { decodeBulkFrame, endFrame, EndReason, TRANSFER_ID_BYTES, type BulkFrame } from '../../../../shared/files/bulk-frame.ts';
import { BULK_HIGH_WATER_BYTES, DEFAULT_MAX_FILE_BYTES, FILE_WINDOW_CHUNKS, MAX_FILE_CHUNK_BYTES } from '../../../../shared/limits.ts';
import { isFileBody, type DeliveredChat, type FileDescription } from '../../../../shared/protocol/envelope.ts';
import { err, ok, type Result } from '../../../../shared/result.ts';
import type { DataLink } from '../link.ts';
import type { SessionError } from '../session-types.ts';
import type { WelcomeMessage } from '../../../../shared/protocol/server-message.ts';
import { HostRole } from '../host-role.ts';
import type { MemberRole } from '../member-role.ts';
import { postFile } from '../outgoing.ts';
import type { RoomLog } from '../room-log.ts';
import { HostRelay } from './host-relay.ts';
import { IncomingFile } from './incoming-file.ts';
import { hashFile, OutgoingFile } from './outgoing-file.ts';
import type { TransferView } from './transfer-view.ts';
import { describeEnd, refuseFile } from './file-rules.ts';

/** What the file hub needs from its session. */
export interface FileHubDeps {
  readonly now: () => number;
  readonly randomBytes: RandomBytes;
  /** Something visible changed. */
  readonly changed: () => void;
  /** The session's log, where this person's file announcements are written (signed) like messages. */
  readonly log: RoomLog;
  /** This person's name. */
  readonly name: string;
  /** The role this tab plays now. */
  readonly role: () => HostRole | MemberRole | null;
  /** The server's welcome: this tab's peer id and the largest file (DEFAULT_MAX_FILE_BYTES when it says none). */
  readonly welcome: () => WelcomeMessage | null;
  /** Whether the room is private (files are not sealed yet, so none are sent there). */
  readonly privateRoom: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Sending {
  readonly view: Mutable<TransferView>;
  readonly blob: Blob;
  readonly id: Uint8Array;
  messageId: string | undefined;
  sender: OutgoingFile | null;
  acked: number;
}

/** An announcement handed over as history this recently is still being sent (its chunks may follow). */
const FRESH_HISTORY_MS = 10_000;

/** Progress redraws at most this often; state changes at once. */
const PROGRESS_MS = 100;

/**
 * Every file transfer of one tab: its own files (hashed, announced, then streamed in chunks no faster than the host
 * acknowledges them), the files it receives (hashed as they come, offered only when the hash matches), and while it
 * hosts, the relay of everyone's (HostRelay). The session hands it links and announcements; it reports TransferViews.
 */
export class FileHub {
  readonly #deps: FileHubDeps;
  readonly #views = new Map<string, Mutable<TransferView>>();
  readonly #sending = new Map<string, Sending>();
  readonly #receiving = new Map<string, IncomingFile>();
  /** Who sent each file this tab receives, by transfer id (to say who cancelled). */
  readonly #senderNames = new Map<string, string>();
  #hostLink: DataLink | null = null;
  #relay: HostRelay | null = null;
  #progressTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(deps: FileHubDeps) {
    this.#deps = deps;
  }

  /** Every transfer this tab knows, by transfer id. */
  views(): ReadonlyMap<string, TransferView> {
    return new Map([...this.#views].map(([id, view]) => [id, { ...view }]));
  }

  /** The largest file the server allows. */
  get limit(): number {
    return this.#deps.welcome()?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  #selfId(): string | undefined {
    return this.#deps.welcome()?.peerId;
  }

  /** The host's relay while this tab hosts (tests read how much it holds). */
  get relay(): HostRelay | null {
    return this.#relay;
  }

  /**
   * Sends a file to the room: refused at once (with a sentence) when it is over the server's limit, empty, or not
   * allowed here (before joining, in a private room); otherwise hashed, announced and streamed. Resolves once it is announced (or refused).
   */
  async sendFile(blob: Blob, name: string): Promise<Result<string, SessionError>> {
    const refusal = refuseFile(blob.size, this.limit, this.#selfId() !== undefined, this.#deps.privateRoom);
    if (refusal !== null) return err(refusal);
    const id = this.#deps.randomBytes(TRANSFER_ID_BYTES);
    const transfer = toBase64url(id);
    const file: FileDescription = { transfer, name: name.slice(0, 255) || 'file', size: blob.size, type: blob.type.slice(0, 127), sha256: '' };
    const view = this.#newView(transfer, 'send', file, 'hashing');
    const sending: Sending = { view, blob, id, messageId: undefined, sender: null, acked: 0 };
    this.#sending.set(transfer, sending);
    this.#deps.changed();
    const sha256 = await hashFile(blob, () => view.state === 'hashing');
    if (sha256 === null) return ok(transfer);
    view.file = { ...file, sha256 };
    const announced = postFile(this.#deps.log, this.#deps.role(), this.#selfId(), this.#deps.name, view.file);
    if (!announced.ok) {
      this.#finish(view, 'failed', announced.error.message);
      return err(announced.error);
    }
    sending.messageId = announced.value.id;
    view.state = 'waiting';
    if (this.#relay && this.#deps.role() instanceof HostRole) this.#startHostSending(sending);
    this.#deps.changed();
    return ok(transfer);
  }

  /** Stops a transfer: one's own for everyone, someone else's for this tab only. */
  cancel(transfer: string): void {
    const view = this.#views.get(transfer);
    if (!view || !isActive(view)) return;
    const sending = this.#sending.get(transfer);
    const id = sending?.id ?? this.#receivingId(transfer);
    sending?.sender?.stop();
    this.#finish(view, 'cancelled', 'you');
    if (this.#relay) return this.#relay.cancel(transfer);
    const reason = sending ? EndReason.senderCancelled : EndReason.receiverCancelled;
    if (id) this.#hostLink?.sendBulk(endFrame(id, reason));
  }

  /** The host acknowledged one of this person's messages: if it announced a file, the chunks may follow. */
  acknowledged(messageId: string): void {
    for (const sending of this.#sending.values()) {
      if (sending.messageId !== messageId || sending.view.state !== 'waiting' || !this.#hostLink) continue;
      this.#startMemberSending(sending, this.#hostLink);
    }
  }

  /**
   * What became of a relayed message (passed through): a file announcement that was added to the timeline starts a
   * transfer to this tab (and, hosting, its relay).
   */
  admitted<R>(result: R, chat: DeliveredChat, asHistory: boolean): R {
    if (result === 'added' && isFileBody(chat.body) && !this.#views.has(chat.body.file.transfer)) this.#receive(chat, chat.body.file, asHistory);
    return result;
  }

  #receive(chat: DeliveredChat, file: FileDescription, asHistory: boolean): void {
    // History a member gets as it links may hold an announcement made that very moment: its chunks follow.
    if (asHistory && this.#deps.now() - chat.ts > FRESH_HISTORY_MS) {
      this.#newView(file.transfer, 'receive', file, 'failed').detail = 'it was sent before you joined, so it is not here';
      return;
    }
    this.#senderNames.set(file.transfer, chat.name);
    const view = this.#newView(file.transfer, 'receive', file, 'receiving');
    view.startedAt = this.#deps.now();
    this.#receiving.set(file.transfer, new IncomingFile(file));
    if (this.#relay) this.#relay.start(file.transfer, chat.from, file.size);
  }

  /** This tab hosts: relay files over these member links. */
  hostLink(peerId: string, link: DataLink): void {
    const selfId = this.#selfId();
    if (selfId === undefined) return;
    if (!this.#relay) {
      this.#relay = new HostRelay(selfId, { chunk: (t, i, d) => this.#chunk(t, i, d), ended: (t, r) => this.#ended(t, r), acked: (t, c) => this.#acked(t, c) }, this.#deps.now);
    }
    this.#relay.addLink(peerId, link);
  }

  /** This tab is a member: its one link to the host carries every transfer. */
  memberLink(link: DataLink): void {
    this.roleChanged();
    this.#hostLink = link;
    link.on('bulk', (frame) => this.#fromHost(decodeBulkFrame(frame)));
    link.on('bulkLow', () => {
      for (const sending of this.#sending.values()) sending.sender?.pump();
    });
    link.on('close', () => {
      if (this.#hostLink !== link) return;
      this.#hostLink = null;
      this.#failActive('the link to the host was lost');
    });
  }

  /** The role changed or the session ended: what is under way cannot go on (resume is not built yet). */
  roleChanged(): void {
    if (this.#relay) this.#failActive('the host changed');
    this.#relay?.close();
    this.#relay = null;
  }

  close(): void {
    this.#failActive('you left the room');
    this.#relay?.close();
    clearTimeout(this.#progressTimer);
  }

  #startMemberSending(sending: Sending, link: DataLink): void {
    sending.view.state = 'sending';
    sending.view.startedAt = this.#deps.now();
    const sink = {
      room: (sent: number) => sent - sending.acked < FILE_WINDOW_CHUNKS && link.bulkBufferedAmount < BULK_HIGH_WATER_BYTES,
      send: (frame: Uint8Array) => link.sendBulk(frame),
    };
    this.#startSender(sending, sink, Math.min(link.maxBulkFrame || MAX_FILE_CHUNK_BYTES, MAX_FILE_CHUNK_BYTES));
  }

  #startHostSending(sending: Sending): void {
    const relay = this.#relay!;
    relay.start(sending.view.transfer, this.#selfId() ?? '', sending.view.file.size);
    sending.view.state = 'sending';
    sending.view.startedAt = this.#deps.now();
    const sink = {
      room: (sent: number) => sent - sending.acked < FILE_WINDOW_CHUNKS,
      send: (frame: Uint8Array) => relay.sendOwn(sending.view.transfer, frame),
    };
    this.#startSender(sending, sink, relay.maxFrame);
  }

  #startSender(sending: Sending, sink: ConstructorParameters<typeof OutgoingFile>[3], maxFrame: number): void {
    sending.sender = new OutgoingFile(sending.blob, sending.id, maxFrame, sink, () => {
      if (isActive(sending.view)) this.#finish(sending.view, 'failed', 'the file could not be sent');
    });
    sending.sender.pump();
  }

  #fromHost(frame: BulkFrame | null): void {
    if (frame === null) return;
    const transfer = toBase64url(frame.transfer);
    if (frame.kind === 'chunk') this.#chunk(transfer, frame.index, frame.data);
    else if (frame.kind === 'ack') this.#acked(transfer, frame.count);
    else this.#ended(transfer, frame.reason);
  }

  #chunk(transfer: string, index: number, data: Uint8Array): void {
    const incoming = this.#receiving.get(transfer);
    const view = this.#views.get(transfer);
    if (!incoming || !view || view.state !== 'receiving') return;
    const result = incoming.chunk(index, data);
    view.bytes = incoming.bytes;
    if (result === 'more') return this.#progress(view);
    this.#receiving.delete(transfer);
    if (result === 'done') {
      view.blob = incoming.blob;
      this.#finish(view, 'done', 'verified');
    } else {
      this.#finish(view, 'failed', 'the file arrived damaged');
      this.#relay?.cancel(transfer);
      this.#hostLink?.sendBulk(endFrame(incoming.id, EndReason.receiverCancelled));
    }
  }

  #acked(transfer: string, count: number): void {
    const sending = this.#sending.get(transfer);
    if (!sending?.sender || sending.view.state !== 'sending') return;
    sending.acked = Math.max(sending.acked, Math.min(count, sending.sender.sent));
    sending.view.bytes = Math.min(sending.view.file.size, sending.acked * sending.sender.chunkBytes);
    if (sending.sender.allSent && sending.acked === sending.sender.sent) this.#finish(sending.view, 'done', 'sent');
    else {
      this.#progress(sending.view);
      sending.sender.pump();
    }
  }

  #ended(transfer: string, reason: EndReason): void {
    const view = this.#views.get(transfer);
    if (!view || !isActive(view)) return;
    this.#sending.get(transfer)?.sender?.stop();
    this.#receiving.delete(transfer);
    const end = describeEnd(reason, view.direction);
    this.#finish(view, end.state, end.detail === 'sender' ? (this.#senderNames.get(transfer) ?? 'the sender') : end.detail);
  }

  #receivingId(transfer: string): Uint8Array | undefined {
    return this.#receiving.get(transfer)?.id;
  }

  #newView(transfer: string, direction: 'send' | 'receive', file: FileDescription, state: TransferView['state']): Mutable<TransferView> {
    const view: Mutable<TransferView> = { transfer, direction, file, bytes: 0, startedAt: 0, updatedAt: this.#deps.now(), state, detail: '', blob: undefined };
    this.#views.set(transfer, view);
    return view;
  }

  #finish(view: Mutable<TransferView>, state: 'done' | 'cancelled' | 'failed', detail: string): void {
    view.state = state;
    view.detail = detail;
    view.updatedAt = this.#deps.now();
    this.#sending.delete(view.transfer);
    this.#receiving.delete(view.transfer);
    this.#deps.changed();
  }

  #failActive(detail: string): void {
    for (const view of this.#views.values()) if (isActive(view)) this.#finish(view, 'failed', detail);
  }

  #progress(view: Mutable<TransferView>): void {
    view.updatedAt = this.#deps.now();
    if (this.#progressTimer !== undefined) return;
    this.#progressTimer = setTimeout(() => {
      this.#progressTimer = undefined;
      this.#deps.changed();
    }, PROGRESS_MS);
  }
}

function isActive(view: TransferView): boolean {
  return view.state !== 'done' && view.state !== 'cancelled' && view.state !== 'failed';
}
