import { ChatVerifier } from '../../shared/chat-signature.ts';
import { defaultLiveness } from '../../shared/liveness.ts';
import type { Roster } from '../../shared/roster.ts';
import { Timeline } from '../../shared/timeline.ts';
import type { LinkError } from '../../web/src/net/link.ts';
import type { RoleContext } from '../../web/src/net/role-context.ts';
import type { MemoryNetwork } from './memory-link.ts';
import { TEST_ROOM, testKey } from './signed-chat.ts';

/** A role context for one tab (`selfId`, whose identity is testKey(selfId)) with a hand-driven clock. */
export function testRoleContext(options: {
  readonly selfId: string;
  readonly network: MemoryNetwork;
  readonly roster: () => Roster;
  readonly sendSignal: RoleContext['sendSignal'];
}) {
  const clock = { now: 1_000_000 };
  const failures: LinkError[] = [];
  const timeline = new Timeline();
  const identity = testKey(options.selfId);
  /** What the role told the room's typing: `peer:start`, `peer:stop` for typing frames, `peer:spoke` for messages. */
  const typing: string[] = [];
  const context: RoleContext = {
    selfId: options.selfId,
    timeline,
    verifier: new ChatVerifier(TEST_ROOM),
    identity,
    liveness: defaultLiveness,
    now: () => clock.now,
    roster: options.roster,
    sendSignal: options.sendSignal,
    createLink: (initiator) => options.network.createLink({ initiator, iceServers: [] }),
    linkFailed: (error) => void failures.push(error),
    // As the session does: the name the roster gives the key, one's own by key.
    admit: (chat, admitOptions) => {
      const known = options.roster().members.find((member) => member.identity === chat.author)?.name;
      const message = known === undefined ? chat : { ...chat, name: known };
      return timeline.addChat(message, { receivedAt: clock.now, own: chat.author === identity, unverified: known === undefined, asHistory: admitOptions?.asHistory ?? false });
    },
    changed: () => undefined,
    typing: {
      heard: (peerId, active) => void typing.push(`${peerId}:${active ? 'start' : 'stop'}`),
      spoke: (peerId) => void typing.push(`${peerId}:spoke`),
    },
  };
  return { context, clock, failures, timeline, typing };
}

/** A roster entry whose identity is testKey(id). */
export const keyedMember = (id: string, name: string) => ({ id, name, identity: testKey(id) });
