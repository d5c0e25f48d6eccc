import { describe, expect, it } from 'vitest';
import { openDirectChannel, openDirectMessage, sealDirectMessage } from '../../../../shared/crypto/direct-message.ts';
import { toBase64url } from '../../../../shared/crypto/encoding.ts';
import { derivePrivateRoom, openRoomMessage, sealRoomMessage } from '../../../../shared/crypto/private-room.ts';
import { signMessage, signedBytes, verifyMessage } from '../../../../shared/crypto/signing.ts';
import { fileSecretText, newFileKey, openChunk, openedFile, sealChunk, SEALED_CHUNK_OVERHEAD } from '../../../../shared/files/sealed-file.ts';
import { contentOf, sealedBody } from '../../../../shared/chat-content.ts';
import { ChatBody } from '../../../../shared/protocol/envelope.ts';
import * as v from 'valibot';
import { ann, bob, cat, counting, flipped, headerBy, seededRandom, toHex } from './fixtures.ts';

const transfer = toBase64url(new Uint8Array(16).fill(7));
const transferBytes = new Uint8Array(16).fill(7);
const description = { transfer, name: 'plan.pdf', size: 70_000, type: 'application/pdf', sha256: toBase64url(new Uint8Array(32).fill(3)) };
const attach = { transfer, size: description.size };

describe('sealed file chunks', () => {
  const key = newFileKey(seededRandom(5));
  const data = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);

  it('open back to the data, with a 16-byte tag, under the same key, transfer and index only', () => {
    const sealed = sealChunk(key, transferBytes, 3, data);
    expect(sealed.length).toBe(data.length + SEALED_CHUNK_OVERHEAD);
    expect(toHex(sealed.subarray(0, 64))).not.toBe(toHex(data.subarray(0, 64)));
    const opened = openChunk(key, transferBytes, 3, sealed);
    expect(opened.ok && toHex(opened.value)).toBe(toHex(data));
    expect(openChunk(key, transferBytes, 4, sealed)).toMatchObject({ ok: false, error: { code: 'ERR_DECRYPT' } });
    expect(openChunk(key, new Uint8Array(16).fill(8), 3, sealed).ok).toBe(false);
    expect(openChunk(newFileKey(seededRandom(6)), transferBytes, 3, sealed).ok).toBe(false);
    expect(openChunk(key, transferBytes, 3, flipped(sealed, 10)).ok).toBe(false);
  });

  it('differ from index to index for the same data (the index is the nonce)', () => {
    expect(toHex(sealChunk(key, transferBytes, 0, data))).not.toBe(toHex(sealChunk(key, transferBytes, 1, data)));
    // The same chunk sent again (after a host change) is the same bytes: nothing new is revealed.
    expect(toHex(sealChunk(key, transferBytes, 0, data))).toBe(toHex(sealChunk(key, transferBytes, 0, data)));
  });
});

describe('a sealed file announcement', () => {
  const key = newFileKey(seededRandom(9));

  it('in a private room opens to the description and key; the attachment is signed and bound', () => {
    const room = derivePrivateRoom({ bytes: counting(32) });
    const header = { ...headerBy(ann), room: room.roomId };
    const content = sealRoomMessage(room, header, fileSecretText(description, key), seededRandom(1), attach);
    const text = openRoomMessage(room, header, content);
    expect(text.ok).toBe(true);
    const file = text.ok ? openedFile(text.value, content.attach!) : null;
    expect(file?.ok && file.value.description).toEqual(description);
    expect(file?.ok && toHex(file.value.key!)).toBe(toHex(key));
    // The file's name is in no byte a host routes by.
    const body = sealedBody(content);
    expect(JSON.stringify(body)).not.toContain('plan.pdf');
    expect(v.safeParse(ChatBody, body).success).toBe(true);
    // Moved to another transfer or size, the ciphertext no longer opens, and the signature no longer holds.
    const signature = signMessage(ann, header, content);
    const moved = { ...content, attach: { transfer, size: 1 } };
    expect(openRoomMessage(room, header, moved).ok).toBe(false);
    expect(verifyMessage(header, moved, signature).ok).toBe(false);
    expect(verifyMessage(header, content, signature).ok).toBe(true);
    // A file announcement is not the same signed bytes as the same ciphertext sent as a message.
    const withoutAttach = { kind: 'room-sealed' as const, sealed: content.sealed };
    const bytes = [signedBytes(header, content), signedBytes(header, withoutAttach)].map((b) => (b.ok ? toHex(b.value) : ''));
    expect(bytes[0]).not.toBe(bytes[1]);
  });

  it('to one person opens for them and its author only, and survives the trip through the wire body', () => {
    const channel = openDirectChannel(ann, bob.publicIdentity);
    const back = openDirectChannel(bob, ann.publicIdentity);
    const stranger = openDirectChannel(cat, ann.publicIdentity);
    if (!channel.ok || !back.ok || !stranger.ok) throw new Error('channels');
    const header = headerBy(ann);
    const content = sealDirectMessage(channel.value, header, fileSecretText(description, key), seededRandom(2), attach);
    const decoded = contentOf(sealedBody(content, 'peer-bob'));
    expect(decoded.ok && decoded.value).toMatchObject({ kind: 'dm', attach });
    if (!decoded.ok || decoded.value.kind !== 'dm') throw new Error('not a dm');
    const opened = openDirectMessage(back.value, header, decoded.value);
    expect(opened.ok && openedFile(opened.value, attach).ok).toBe(true);
    expect(openDirectMessage(stranger.value, header, decoded.value).ok).toBe(false);
  });

  it('is refused when its text is not a file description', () => {
    expect(openedFile('hello', attach)).toEqual({ ok: false, error: 'the file description is not JSON' });
    expect(openedFile(JSON.stringify({ name: 'x' }), attach)).toEqual({ ok: false, error: 'the file description is malformed' });
    const secret = JSON.parse(fileSecretText(description, key)) as Record<string, unknown>;
    expect(openedFile(JSON.stringify({ ...secret, key: 'short' }), attach).ok).toBe(false);
    expect(openedFile(JSON.stringify(secret), { transfer: 'bad', size: 1 }).ok).toBe(false);
  });
});
