import type { ChatVerifier } from '../../../shared/chat-signature.ts';
import type { LivenessPolicy } from '../../../shared/liveness.ts';
import type { SignalData } from '../../../shared/protocol/fields.ts';
import type { Roster } from '../../../shared/roster.ts';
import type { DeliveredChat } from '../../../shared/protocol/envelope.ts';
import type { Timeline } from '../../../shared/timeline.ts';
import type { DataLink, LinkError } from './link.ts';
import type { AdmitOptions, AdmitResult } from './room-log.ts';

/** What the room session lends the role it currently plays (host or member). */
export interface RoleContext {
  /** This tab's peer id, as the server assigned it. */
  readonly selfId: string;
  readonly timeline: Timeline;
  /** Checks chat signatures in this room. */
  readonly verifier: ChatVerifier;
  /** This person's public identity, as the envelope's `author` carries it. */
  readonly identity: string;
  readonly liveness: LivenessPolicy;
  readonly now: () => number;
  /** The roster as last announced by the server. */
  roster(): Roster;
  /** Sends a signal to one peer through the signaling server. */
  sendSignal(to: string, data: SignalData): void;
  /** Makes a data-channel link; the member side initiates. Throws when the browser cannot make one. */
  createLink(initiator: boolean): DataLink;
  /** A link could not be made or failed; the session decides what the person is told and what happens next. */
  linkFailed(error: LinkError): void;
  /**
   * Adds a relayed chat whose signature checked out to the timeline, opened when sealed, under the name its key has
   * (see RoomLog.admit): `asHistory` places it at the end whatever its seq (history a host hands over is already in
   * the host's order); `hold` keeps a DM between others unread (hosting) instead of refusing it.
   */
  admit(chat: DeliveredChat, options: AdmitOptions): AdmitResult;
  /** Something visible changed (timeline, link state). */
  changed(): void;
  /** File transfers (web/src/net/files): the host hands it each member link, a member its link to the host. */
  readonly files?: { hostLink(peerId: string, link: DataLink): void; memberLink(link: DataLink): void } | undefined;
  /** Who is typing (web/src/net/room-typing.ts): told of every typing frame from a member of the roster, and of messages. */
  readonly typing?: { heard(peerId: string, active: boolean): void; spoke(peerId: string): void } | undefined;
}
