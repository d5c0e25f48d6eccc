import { ChatVerifier, signChat, type UnsignedChat } from '../../../shared/chat-signature.ts';
import { encodePublicIdentity, type Identity } from '../../../shared/crypto/identity.ts';
import type { OutgoingChat } from '../../../shared/protocol/envelope.ts';
import type { Roster } from '../../../shared/roster.ts';
import type { TrustStore } from './trust-store.ts';

/** Identities this tab remembers per room, at most (a room is far smaller; churn over a long day is not). */
const MAX_KNOWN_IDENTITIES = 10_000;

/** How a person's keys stand, as the People list shows them. */
export type KeyStatus = 'verified' | 'unverified' | 'changed' | 'none';

/**
 * Who is who in one room, by key: this person's identity (signing its messages), every identity the rosters named
 * (so a message is shown under the name its key belongs to, whoever relays it), and what this browser remembers
 * (a known name with a new key is flagged; keys compared by safety number are verified).
 */
export class RoomIdentities {
  readonly identity: Identity;
  /** This person's public identity, as rosters and envelopes carry it. */
  readonly publicText: string;
  readonly verifier: ChatVerifier;
  /** The room id messages are signed in. */
  readonly room: string;
  readonly #trust: TrustStore;
  /** Public identity → the name the roster gave it. */
  readonly #names = new Map<string, string>();
  /** Public identities that arrived under a name this browser knew with another key. */
  readonly #changed = new Set<string>();

  constructor(identity: Identity, room: string, trust: TrustStore) {
    this.identity = identity;
    this.publicText = encodePublicIdentity(identity.publicIdentity);
    this.verifier = new ChatVerifier(room);
    this.room = room;
    this.#trust = trust;
  }

  /** Signs one of this person's messages. */
  sign(chat: UnsignedChat): OutgoingChat {
    return signChat(this.identity, this.room, chat);
  }

  /** The name a public identity has in this room's rosters, or undefined when no roster named it. */
  nameOf(identity: string): string | undefined {
    return this.#names.get(identity);
  }

  /** How the keys of a roster entry stand. */
  statusOf(identity: string | undefined): KeyStatus {
    if (identity === undefined) return 'none';
    if (this.#trust.isVerified(identity)) return 'verified';
    return this.#changed.has(identity) ? 'changed' : 'unverified';
  }

  /** Marks a person's key verified (after comparing safety numbers) or not. */
  setVerified(identity: string, verified: boolean): void {
    this.#trust.setVerified(identity, verified);
  }

  /** Learns a roster's identities; returns the names whose key changed since this browser last saw them. */
  learn(roster: Roster): string[] {
    const changed: string[] = [];
    for (const member of roster.members) {
      if (member.identity === undefined || this.#names.get(member.identity) === member.name) continue;
      if (this.#names.size >= MAX_KNOWN_IDENTITIES) this.#names.clear();
      this.#names.set(member.identity, member.name);
      const known = this.#trust.knownKey(member.name);
      if (known !== undefined && known !== member.identity && member.identity !== this.publicText) {
        this.#changed.add(member.identity);
        changed.push(member.name);
      }
      this.#trust.rememberKey(member.name, member.identity);
    }
    return changed;
  }
}
