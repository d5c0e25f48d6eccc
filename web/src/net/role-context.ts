import type { LivenessPolicy } from '../../../shared/liveness.ts';
import type { SignalData } from '../../../shared/protocol/fields.ts';
import type { Roster } from '../../../shared/roster.ts';
import type { Timeline } from '../../../shared/timeline.ts';
import type { PeerLink } from './peer-link.ts';

/** What the room session lends the role it currently plays (host or member). */
export interface RoleContext {
  /** This tab's peer id, as the server assigned it. */
  readonly selfId: string;
  readonly timeline: Timeline;
  readonly liveness: LivenessPolicy;
  readonly now: () => number;
  /** The roster as last announced by the server. */
  roster(): Roster;
  /** Sends a signal to one peer through the signaling server. */
  sendSignal(to: string, data: SignalData): void;
  /** Makes a data-channel link; the member side initiates. */
  createLink(initiator: boolean): PeerLink;
  /** Something visible changed (timeline, link state). */
  changed(): void;
}
