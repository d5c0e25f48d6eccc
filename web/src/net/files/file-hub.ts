import { toBase64url } from '../../../../shared/crypto/encoding.ts';
import type { RandomBytes } from '../../../../shared/crypto/random.ts';
import { decodeBulkFrame, endFrame, EndReason, resumeFrame, wantFrame, type BulkFrame } from '../../../../shared/files/bulk-frame.ts';
import { DEFAULT_MAX_FILE_BYTES } from '../../../../shared/limits.ts';
import { messageKey, type DeliveredChat } from '../../../../shared/protocol/envelope.ts';
import type { OpenedFile } from '../../../../shared/files/sealed-file.ts';
import { err, ok, type Result } from '../../../../shared/result.ts';
import type { DataLink } from '../link.ts';
import type { SessionError } from '../session-types.ts';
import type { WelcomeMessage } from '../../../../shared/protocol/server-message.ts';
import { HostRole } from '../host-role.ts';
import type { MemberRole } from '../member-role.ts';
import { directTarget } from '../outgoing.ts';
import type { RoomLog } from '../room-log.ts';
import type { Roster } from '../../../../shared/roster.ts';
import type { HostRelay } from './host-relay.ts';
import { RelaySlot } from './relay-slot.ts';
import { announcedFile, type FileShape, type KnownFile } from './relay-end.ts';
import { carryOver, pauseActive } from './carry-over.ts';
import { FileHashing } from './file-hasher.ts';
import type { AnnounceContext } from './announce-file.ts';
import type { IncomingFile } from './incoming-file.ts';
import { KeptFiles } from './kept-files.ts';
import type { OwnSends, Sending } from './own-sends.ts';
import { MemoryPartialStore, type PartialStore } from './partial-store.ts';
import type { TransferView } from './transfer-view.ts';
import { describeEnd, refuseFile } from './file-rules.ts';
import { isActive, TransferBoard, type MutableView } from './transfer-board.ts';

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
  /** Where parts of files being received are kept, for resuming after a page reload (default: this page's memory). */
  readonly partials?: PartialStore | undefined;
  /** The role this tab plays now. */
  readonly role: () => HostRole | MemberRole | null;
  /** The server's welcome: this tab's peer id and the largest file (DEFAULT_MAX_FILE_BYTES when it says none). */
  readonly welcome: () => WelcomeMessage | null;
  /** Who is in the room now, and who hosts it. */
  readonly roster: () => Roster;
}

/** An announcement handed over as history this recently is still being sent (its chunks may follow). */
const FRESH_HISTORY_MS = 10_000;

/** Announcements remembered (sender and size), to carry their transfers over to a new host. */
const KNOWN_FILES = 1024;

/**
 * Every file transfer of one tab: its own files (hashed, announced, then streamed in chunks no faster than the host
 * acknowledges them), the files it receives (hashed as they come, offered only when the hash matches), and while it
 * hosts, the relay of everyone's (HostRelay). When the host changes, transfers pause and carry on through the new
 * host from where each receiver stands (docs/protocol.md, "Files"). The session hands it links and announcements; it
 * reports TransferViews.
 */
export class FileHub {
  readonly #deps: FileHubDeps;
  readonly #board: TransferBoard;
  /** This tab's own files: its code loads with the first file the person sends (most people never send one). */
  #sends: OwnSends | null = null;
  #sendsLoading: Promise<OwnSends> | null = null;
  readonly #receiving = new Map<string, IncomingFile>();
  readonly #kept: KeptFiles;
  /** The SHA-256 of every file this tab sends or receives: hash-wasm loads with the first one. */
  readonly hashing: FileHashing;
  /** Who sent each file this tab knows of, by transfer id: name (to say who cancelled), peer id and size. */
  readonly #known = new Map<string, KnownFile & { readonly name: string }>();
  #hostLink: DataLink | null = null;
  /** The relay while this tab hosts (its code loads with the first member link). */
  readonly #relays = new RelaySlot();

  constructor(deps: FileHubDeps) {
    this.#deps = deps;
    this.hashing = new FileHashing();
    this.#kept = new KeptFiles(deps.partials ?? new MemoryPartialStore(), this.hashing);
    this.#board = new TransferBoard(deps.now, deps.changed, (view) => {
      this.#sends?.ended(view);
      this.#receiving.delete(view.transfer);
      // Ended for good, or the person left: what was kept of it goes (a reload never gets here, so it keeps it).
      if (view.direction === 'receive') this.#kept.forget(view.transfer);
    });
  }

  /** Every transfer this tab knows, by transfer id. */
  views(): ReadonlyMap<string, TransferView> {
    return this.#board.snapshot();
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
    return this.#relays.relay;
  }

  /**
   * Sends a file to the room, or to the roster member `to` alone: refused at once (with a sentence) when it is over
   * the server's limit, empty, sent before joining, or for someone who cannot receive it; otherwise hashed, announced
   * (sealed in a private room or to one person) and streamed. Resolves once it is announced (or refused).
   */
  async sendFile(blob: Blob, name: string, to?: string): Promise<Result<string, SessionError>> {
    const selfId = this.#selfId();
    const refusal = refuseFile(blob.size, this.limit, selfId !== undefined);
    if (refusal !== null) return err(refusal);
    const direct = to === undefined ? ok(undefined) : directTarget(this.#deps.roster(), selfId!, to);
    if (!direct.ok) return direct;
    const [sends] = await Promise.all([this.#ownSends().catch(() => null), this.hashing.ready()]);
    if (sends === null) return err({ code: 'ERR_NOT_LOADED' });
    return sends.announce(this.#announcing(sends), sends, blob, name, to);
  }

  /** What announcing a file needs from this hub (see announce-file.ts, which loads with OwnSends). */
  #announcing(sends: OwnSends): AnnounceContext {
    return {
      deps: this.#deps,
      board: this.#board,
      hashing: this.hashing,
      selfId: () => this.#selfId(),
      remember: (transfer, known) => this.#remember(transfer, known),
      startIfHosting: (sending) => {
        if (this.#relays.hosting && this.#deps.role() instanceof HostRole) this.#relays.use(() => sends.startHost(sending, 0));
      },
    };
  }

  #ownSends(): Promise<OwnSends> {
    this.#sendsLoading ??= import('./own-sends.ts').then(({ OwnSends }) => {
      const deps = { board: () => this.#board, relay: () => this.#relays.relay, hostLink: () => this.#hostLink, selfId: () => this.#selfId() };
      return (this.#sends = new OwnSends(deps));
    });
    return this.#sendsLoading.catch((error: unknown) => {
      this.#sendsLoading = null;
      throw error;
    });
  }

  /** Stops a transfer: one's own for everyone, someone else's for this tab only. */
  cancel(transfer: string): void {
    const view = this.#board.get(transfer);
    if (!view || !isActive(view)) return;
    const sending = this.#sends?.get(transfer);
    const id = sending?.id ?? this.#receiving.get(transfer)?.id;
    sending?.sender?.stop();
    this.#board.finish(view, 'cancelled', 'you');
    if (this.#relays.hosting) return this.#relays.use((relay) => relay.cancel(transfer));
    const reason = sending ? EndReason.senderCancelled : EndReason.receiverCancelled;
    if (id) this.#hostLink?.sendBulk(endFrame(id, reason));
  }

  /** The host acknowledged one of this person's messages: if it announced a file, the chunks may follow. */
  acknowledged(messageId: string): void {
    const sending = this.#announcedNotStarted(messageId);
    if (sending && this.#hostLink) this.#sends!.startMember(sending, this.#hostLink, 0);
  }

  /** This person's file that the message `messageId` announced, if it has not started sending. */
  #announcedNotStarted(messageId: string): Sending | undefined {
    for (const sending of this.#sends?.active() ?? []) if (sending.messageId === messageId && sending.view.state === 'waiting') return sending;
    return undefined;
  }

  /**
   * A new link's host already held this person's message, its acknowledgement lost with the old link: a file it
   * announced goes on as one carried over (`resume`, now or once the bulk channel opens; the host says where from).
   */
  heldByHost(messageId: string): void {
    const link = this.#hostLink;
    const sending = this.#announcedNotStarted(messageId);
    if (!sending || !link) return;
    this.#sends!.fixChunkBytes(sending, link);
    this.#board.flowing(sending.view);
    link.sendBulk(resumeFrame(sending.id, sending.chunkBytes));
  }

  /**
   * What became of a relayed message (passed through): a file announcement that was added to the timeline starts a
   * transfer to this tab; hosting, one from its own sender starts a relay (one handed on by another member was under
   * way at the previous host, and is carried over). A file for someone else (a DM) is relayed without a copy here.
   */
  admitted<R>(result: R, chat: DeliveredChat, options: { readonly asHistory: boolean; readonly handedOn?: boolean }): R {
    const announced = announcedFile(chat);
    if (announced === null) return result;
    const { transfer, size, shape } = announced;
    this.#remember(transfer, { ...shape, sender: chat.from, size, name: chat.name });
    if (result !== 'added' || this.#board.get(transfer)) return result;
    // Opened here (an open room's file, or a sealed one for this person); undefined: one between others, held.
    const opened = this.#deps.log.timeline.fileOf(messageKey(chat));
    if (opened) this.#receive(chat, opened, shape, options.asHistory, options.handedOn === true);
    else if (!options.asHistory && !options.handedOn) this.#relays.use((relay) => relay.start(transfer, chat.from, size, shape));
    return result;
  }

  #remember(transfer: string, known: KnownFile & { readonly name: string }): void {
    this.#known.set(transfer, known);
    if (this.#known.size > KNOWN_FILES) this.#known.delete(this.#known.keys().next().value!);
  }

  #receive(chat: DeliveredChat, opened: OpenedFile, shape: FileShape, asHistory: boolean, handedOn: boolean): void {
    const file = opened.description;
    const view = this.#board.add(file.transfer, 'receive', file, 'waiting');
    if (!asHistory) return this.#startReceiving(view, opened, (relay) => relay.start(file.transfer, chat.from, file.size, shape), handedOn);
    // From history: parts of it kept before this page was reloaded are offered to resume; else it may have been
    // announced that very moment (its chunks may follow), or before this person joined.
    void this.#kept.offer(view, opened).then((offered) => {
      if (offered) return this.#deps.changed();
      if (view.state !== 'waiting') return;
      if (this.#deps.now() - chat.ts <= FRESH_HISTORY_MS) return this.#startReceiving(view, opened, null, true);
      this.#board.finish(view, 'failed', 'before-joined');
    });
  }

  /** Receives a file from its start: hosting, as a receiver in its relay (`start`s it, unless `handedOn`); else asking. */
  #startReceiving(view: MutableView, opened: OpenedFile, start: ((relay: HostRelay) => void) | null, handedOn: boolean): void {
    const { transfer } = opened.description;
    view.state = 'receiving';
    view.startedAt = this.#deps.now();
    const incoming = this.#kept.incoming(opened);
    this.#receiving.set(transfer, incoming);
    if (this.#relays.hosting) this.#relays.use(start && !handedOn ? start : (relay) => relay.wantOwn(transfer, 0));
    // A member asks for it: a no-op when the host included it already, the whole file when it can, else `end` 6.
    else this.#hostLink?.sendBulk(wantFrame(incoming.id, 0));
    this.#deps.changed();
  }

  /** Resume (an interrupted file, see KeptFiles): what arrived before the reload is kept; the host is asked for the rest. */
  async resume(transfer: string): Promise<void> {
    const view = this.#board.get(transfer);
    if (view?.state !== 'interrupted') return;
    view.state = 'waiting';
    this.#deps.changed();
    const incoming = await this.#kept.resume(transfer);
    if (view.state !== 'waiting') return;
    if (!incoming) return this.#board.finish(view, 'failed', 'kept-unreadable');
    this.#receiving.set(transfer, incoming);
    view.bytes = incoming.bytes;
    this.#board.flowing(view);
    if (this.#relays.hosting) this.#relays.use((relay) => relay.wantOwn(transfer, incoming.chunks));
    else if (this.#hostLink) this.#hostLink.sendBulk(wantFrame(incoming.id, incoming.chunks));
    else this.#board.pause(view);
  }

  /** This tab hosts: relay files over these member links, and carry over what was under way at the previous host. */
  hostLink(peerId: string, link: DataLink): void {
    const selfId = this.#selfId();
    if (selfId === undefined) return;
    if (!this.#relays.hosting) {
      // The link to the previous host is over for files, whenever its close event comes.
      if (this.#hostLink) pauseActive(this.#board, this.#sends);
      this.#hostLink = null;
    }
    const make = (HostRelay: typeof import('./host-relay.ts').HostRelay) => new HostRelay(selfId, this.#localEnd(), this.#deps.now);
    this.#relays.addLink(peerId, link, make, (relay) => this.#carryOverAsHost(relay));
  }

  /** This tab is a member: its one link to the host carries every transfer; once open, what is under way carries on. */
  memberLink(link: DataLink): void {
    this.roleChanged();
    this.#hostLink = link;
    let opened = false;
    link.on('bulk', (frame) => this.#fromHost(decodeBulkFrame(frame)));
    link.on('bulkLow', () => {
      if (!opened) this.#carryOverAsMember(link);
      opened = true;
      for (const sending of this.#sends?.active() ?? []) sending.sender?.pump();
    });
    link.on('close', () => {
      if (this.#hostLink !== link) return;
      this.#hostLink = null;
      pauseActive(this.#board, this.#sends);
    });
  }

  /** The role changed: hosting ends (what it relayed pauses, to carry on through the next host). */
  roleChanged(): void {
    if (this.#relays.close()) pauseActive(this.#board, this.#sends);
  }

  close(): void {
    this.#board.failActive('you-left');
    this.#relays.close();
    this.#board.close();
  }

  #localEnd() {
    return {
      chunk: (transfer: string, index: number, data: Uint8Array) => this.#chunk(transfer, index, data),
      ended: (transfer: string, reason: EndReason) => this.#ended(transfer, reason),
      acked: (transfer: string, count: number) => this.#sends?.acked(transfer, count),
      seek: (transfer: string, index: number) => this.#sends?.seek(transfer, index) ?? false,
      chunkBytesOf: (transfer: string) => this.#sends?.chunkBytesOf(transfer),
      known: (transfer: string) => this.#known.get(transfer),
      roomPeers: () => this.#deps.roster().members.map((member) => member.id).filter((id) => id !== this.#selfId()),
      identityOf: (peer: string) => this.#deps.roster().members.find((member) => member.id === peer)?.identity,
    };
  }

  /**
   * Now hosting: this tab's own transfers under way, paused or not, go on through its relay; its files announced
   * while it had no relay (alone in the room) start.
   */
  #carryOverAsHost(relay: HostRelay): void {
    carryOver(this.#board, this.#sends, this.#receiving, {
      resume: (sending) => relay.resumeOwn(sending.view.transfer, sending.chunkBytes),
      want: (transfer, incoming) => relay.wantOwn(transfer, incoming.chunks),
    });
    for (const sending of this.#sends?.active() ?? []) {
      if (sending.view.state === 'waiting' && sending.messageId !== undefined) this.#sends!.startHost(sending, 0);
    }
  }

  /** Linked to a (new) host: the sender of each transfer under way says it can go on, each receiver where it stands. */
  #carryOverAsMember(link: DataLink): void {
    carryOver(this.#board, this.#sends, this.#receiving, {
      resume: (sending) => link.sendBulk(resumeFrame(sending.id, sending.chunkBytes)),
      want: (_transfer, incoming) => link.sendBulk(wantFrame(incoming.id, incoming.chunks)),
    });
  }

  #fromHost(frame: BulkFrame | null): void {
    if (frame === null) return;
    const transfer = toBase64url(frame.transfer);
    if (frame.kind === 'chunk') this.#chunk(transfer, frame.index, frame.data);
    else if (frame.kind === 'ack') this.#sends?.acked(transfer, frame.count);
    else if (frame.kind === 'seek') {
      // Asked for a file this tab no longer has: the host is told at once, so nobody waits for it.
      if (!this.#sends?.seek(transfer, frame.index)) this.#hostLink?.sendBulk(endFrame(frame.transfer, EndReason.notKept));
    } else if (frame.kind === 'ask') {
      // Can this tab send it again (a receiver wants the rest of a file that completed under the previous host)? The
      // answer is the chunk size (the host then says where from), or "not kept". One still under way says `resume`
      // by itself once the link opens (carry-over), so it is not said twice.
      const chunkBytes = this.#sends?.chunkBytesOf(transfer);
      if (chunkBytes === undefined) this.#hostLink?.sendBulk(endFrame(frame.transfer, EndReason.notKept));
      else if (chunkBytes > 0 && !this.#sends?.get(transfer)) this.#hostLink?.sendBulk(resumeFrame(frame.transfer, chunkBytes));
    } else if (frame.kind === 'end') this.#ended(transfer, frame.reason);
  }

  #chunk(transfer: string, index: number, data: Uint8Array): void {
    const incoming = this.#receiving.get(transfer);
    const view = this.#board.get(transfer);
    if (!incoming || !view || view.state !== 'receiving') return;
    const result = incoming.chunk(index, data);
    view.bytes = incoming.bytes;
    if (result === 'more') return this.#board.progress(view);
    if (result === 'done') {
      view.blob = incoming.blob;
      this.#board.finish(view, 'done', 'verified');
    } else {
      this.#board.finish(view, 'failed', 'damaged');
      this.#relays.use((relay) => relay.cancel(transfer));
      this.#hostLink?.sendBulk(endFrame(incoming.id, EndReason.receiverCancelled));
    }
  }

  #ended(transfer: string, reason: EndReason): void {
    const view = this.#board.get(transfer);
    if (!view || !isActive(view)) return;
    this.#sends?.get(transfer)?.sender?.stop();
    const end = describeEnd(reason, view.direction);
    const sender = end.detail === 'sender' ? this.#known.get(transfer)?.name : undefined;
    this.#board.finish(view, end.state, sender === undefined ? end.detail : { by: sender });
  }
}
