import { toBase64url } from '../../../../shared/crypto/encoding.ts';
import { TRANSFER_ID_BYTES } from '../../../../shared/files/bulk-frame.ts';
import { SEALED_CHUNK_OVERHEAD, sealChunk } from '../../../../shared/files/sealed-file.ts';
import { messageKey, type FileDescription } from '../../../../shared/protocol/envelope.ts';
import { err, ok, type Result } from '../../../../shared/result.ts';
import { directTarget, postFile } from '../outgoing.ts';
import type { SessionError } from '../session-types.ts';
import type { FileHashing } from './file-hasher.ts';
import type { FileHubDeps } from './file-hub.ts';
import type { OwnSends, Sending } from './own-sends.ts';
import { OPEN_FILE, type KnownFile } from './relay-end.ts';
import type { TransferBoard } from './transfer-board.ts';

/** What announcing one of this tab's files needs from its file hub. */
export interface AnnounceContext {
  readonly deps: FileHubDeps;
  readonly board: TransferBoard;
  readonly hashing: FileHashing;
  readonly selfId: () => string | undefined;
  /** Notes who sent a file (to carry its transfer over to a new host, and to say who cancelled it). */
  readonly remember: (transfer: string, known: KnownFile & { readonly name: string }) => void;
  /** Starts the file at once through this tab's own relay, when this tab hosts. */
  readonly startIfHosting: (sending: Sending) => void;
}

/**
 * Hashes a file picked to send (its view shows "hashing" meanwhile), then announces it (sealed in a private room or
 * to one person, `to`) and makes it ready to stream: its code loads with the first file a person sends, as OwnSends'
 * does. Resolves with the transfer id once it is announced, or with why it could not be.
 */
export async function announceFile(context: AnnounceContext, sends: OwnSends, blob: Blob, name: string, to: string | undefined): Promise<Result<string, SessionError>> {
  const { deps, board } = context;
  const id = deps.randomBytes(TRANSFER_ID_BYTES);
  const transfer = toBase64url(id);
  const file: FileDescription = { transfer, name: name.slice(0, 255) || 'file', size: blob.size, type: blob.type.slice(0, 127), sha256: '' };
  const view = board.add(transfer, 'send', file, 'hashing');
  const sending: Sending = { view, blob, id, shape: OPEN_FILE, seal: null, messageId: undefined, sender: null, chunkBytes: 0, acked: 0 };
  sends.add(sending);
  deps.changed();
  const sha256 = await sends.hashFile(blob, context.hashing.create(), () => view.state === 'hashing');
  if (sha256 === null) return ok(transfer);
  view.file = { ...file, sha256 };
  // Hashing a large file takes a while: the person it is for is looked up again (still here? the same keys?).
  const target = to === undefined ? ok(undefined) : directTarget(deps.roster(), context.selfId() ?? '', to);
  const announced = target.ok ? postFile(deps.log, deps.role(), context.selfId(), deps.name, view.file, target.value) : target;
  if (!announced.ok) {
    board.finish(view, 'failed', { refused: announced.error });
    return err(announced.error);
  }
  sending.messageId = announced.value.id;
  const key = deps.log.timeline.fileOf(messageKey(announced.value))?.key ?? null;
  sending.shape = { overhead: key ? SEALED_CHUNK_OVERHEAD : 0, recipient: target.ok ? target.value?.identity : undefined };
  sending.seal = key && ((index, data) => sealChunk(key, id, index, data));
  context.remember(transfer, { ...sending.shape, sender: context.selfId() ?? '', size: blob.size, name: deps.name });
  view.state = 'waiting';
  context.startIfHosting(sending);
  deps.changed();
  return ok(transfer);
}
