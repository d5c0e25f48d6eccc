import { sealedBody } from '../../shared/chat-content.ts';
import { signChat } from '../../shared/chat-signature.ts';
import { openDirectChannel, sealDirectMessage } from '../../shared/crypto/direct-message.ts';
import { systemRandom } from '../../shared/crypto/random.ts';
import { encodePublicIdentity, identityFromSeed, type Identity } from '../../shared/crypto/identity.ts';
import type { DeliveredChat, OutgoingChat } from '../../shared/protocol/envelope.ts';

/** The room id test chats are signed in. */
export const TEST_ROOM = 'test-room';

/** A fixed identity per name (the same keys on every run), for signing test messages. */
export function testIdentity(name: string): Identity {
  const seed = new Uint8Array(32);
  for (let i = 0; i < name.length && i < 32; i++) seed[i] = name.charCodeAt(i) & 0xff;
  seed[31] = name.length;
  return identityFromSeed(seed);
}

/** The public identity text of {@link testIdentity}. */
export const testKey = (name: string): string => encodePublicIdentity(testIdentity(name).publicIdentity);

/** A chat written and signed by `from` (a peer id that doubles as the identity's name) in TEST_ROOM. */
export function signedChat(from: string, fields: { id: string; seq: number; ts?: number; text?: string }): OutgoingChat {
  return signChat(testIdentity(from), TEST_ROOM, {
    v: 1,
    type: 'chat',
    id: fields.id,
    from,
    seq: fields.seq,
    ts: fields.ts ?? 1000,
    body: { text: fields.text ?? `${from} ${fields.seq}` },
  });
}

/** {@link signedChat} as the host delivers it, with a name. */
export const deliveredChat = (from: string, name: string, fields: Parameters<typeof signedChat>[1]): DeliveredChat => ({
  ...signedChat(from, fields),
  name,
});

/** Well-formed but meaningless author and signature fields, for tests of code that does not check signatures. */
export const unsignedFields = { author: 'A'.repeat(86), sig: 'A'.repeat(86) } as const;

/** A real author key (of `name`) and a well-formed signature, for parser tests (the parsers do not verify). */
export const signedFieldsOf = (name: string): { author: string; sig: string } => ({ author: testKey(name), sig: 'A'.repeat(86) });

/**
 * A raw chat frame from an adversarial test, signed by `identity` in `room` over the fields it has, so that only what
 * the test made wrong is wrong. A frame whose fields cannot be signed (wrong types, out of range: the receivers' parsers
 * refuse it before any signature check) gets well-formed placeholder `author` and `sig` fields instead; a frame that
 * already has them keeps its own.
 */
export function signRawChat(identity: Identity, room: string, frame: Record<string, unknown>): Record<string, unknown> {
  if (frame['type'] !== 'chat' || 'author' in frame || 'sig' in frame) return frame;
  try {
    const { author, sig } = signChat(identity, room, frame as unknown as Parameters<typeof signChat>[2]);
    return { ...frame, author, sig };
  } catch {
    return { ...frame, ...unsignedFields };
  }
}

/**
 * `count` frames made by `make` (which signs), yielding to the event loop between batches: the Node peers of the
 * integration tests all live in the test's process, and seconds of signing at a stretch would starve their links.
 */
export async function signedInBatches<T>(count: number, make: (i: number) => T): Promise<T[]> {
  const frames: T[] = [];
  while (frames.length < count) {
    for (let i = 0; i < 50 && frames.length < count; i++) frames.push(make(frames.length));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return frames;
}

/**
 * A direct message written and signed by `from` in TEST_ROOM, sealed for `recipient` (identities of those names),
 * with `to` as its routing peer id (the recipient's name unless given).
 */
export function signedDirect(from: string, recipient: string, fields: { id: string; seq: number; text: string; to?: string }): OutgoingChat {
  const author = testIdentity(from);
  const header = { v: 1, room: TEST_ROOM, id: fields.id, author: author.publicIdentity, seq: fields.seq, ts: 1000 };
  const channel = openDirectChannel(author, testIdentity(recipient).publicIdentity);
  if (!channel.ok) throw new Error(channel.error.message);
  const content = sealDirectMessage(channel.value, header, fields.text, systemRandom);
  const unsigned = { v: 1, type: 'chat', id: fields.id, from, seq: fields.seq, ts: 1000 } as const;
  return signChat(author, TEST_ROOM, { ...unsigned, body: sealedBody(content, fields.to ?? recipient) });
}
