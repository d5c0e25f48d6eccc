import type { WireSignalData } from '../shared/protocol/fields.ts';
import type { RosterEntry } from '../shared/protocol/server-message.ts';
import type { RoomAccess } from './private-rooms.ts';
import type { RoomView } from './rooms.ts';

/**
 * What one signaling node says to another (through Redis pub/sub, one channel per node). Only the node that holds a
 * socket writes to it, so everything a member on another node must get travels as one of these.
 */
export type NodeMessage =
  /** A signal for a member whose socket is on the receiving node; `from` was stamped by the sender's node. */
  | { readonly kind: 'signal'; readonly to: string; readonly from: string; readonly data: WireSignalData }
  /** A room changed: the receiving node announces the roster to its members there, unless it has seen a newer one. */
  | {
      readonly kind: 'roster';
      readonly room: string;
      readonly version: number;
      readonly hostId: string | null;
      readonly members: readonly RosterEntry[];
    }
  /** The member resumed on another node: close its old socket here without taking it out of the room. */
  | { readonly kind: 'supersede'; readonly peer: string }
  /** A member reported this host silent: probe its socket. */
  | { readonly kind: 'probe'; readonly peer: string };

/** A member whose socket is on this node, as a node re-registers it after the shared store lost it. */
export interface LocalSeat {
  readonly roomId: string;
  readonly entry: RosterEntry;
  readonly access: RoomAccess;
}

/**
 * The room service's way to the other nodes: the rooms' shared registry moves seats between nodes, and messages go to
 * a node by its id. Absent when the server runs alone (the in-memory registry).
 */
export interface ClusterLink {
  /** This node's id, as the registry records it for each member whose socket is here. */
  readonly nodeId: string;
  /** Sends one message to another node; fire and forget (a node that is gone is swept, see node-presence.ts). */
  post(node: string, message: NodeMessage): void;
  /** Moves a member's seat to this node (it resumed here); the room, or null when the member is no longer in it. */
  claim(roomId: string, peerId: string): Promise<RoomView | null>;
  /** Takes a member out if its seat is still on `node` (a node that died); the room, or null when nothing changed. */
  evict(roomId: string, peerId: string, node: string): Promise<RoomView | null>;
  /** Puts a member whose socket is here back into its room (the store lost it); the room, or null if it cannot be. */
  restore(seat: LocalSeat): Promise<RoomView | null>;
}

/** What the cluster asks of this node's room service. */
export interface NodeInbox {
  /** A message another node sent this one. */
  receive(message: NodeMessage): void;
  /** A dead node's member, found by the sweep: take it out and announce the room. */
  evict(roomId: string, peerId: string, node: string): Promise<void>;
  /** The store forgot this node (Redis restarted, or the node was thought dead): put every local member back. */
  reRegister(): Promise<void>;
  /** The rooms that have a member on this node (their keys' lifetimes are renewed). */
  localRooms(): Iterable<string>;
}
