import type { EventEmitter } from 'node:events';
import * as ws from 'ws';
import { describe, expect, it } from 'vitest';
import { textFrame } from '../../../signaling/text-frame.ts';

/** ws's own framing and parsing (exported by ws, not declared by its types). */
const { Receiver, Sender } = ws as unknown as {
  Receiver: new (options: { isServer: boolean }) => EventEmitter & { write(chunk: Buffer): void };
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
};

/** The frame ws itself makes for `text` on a server socket: its header and the payload, joined. */
function wsFrame(text: string): Buffer {
  const parts = Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false });
  return Buffer.concat(parts);
}

/** What a ws client reads from `frame`. */
function received(frame: Buffer): Promise<{ text: string; isBinary: boolean }> {
  const receiver = new Receiver({ isServer: false });
  return new Promise((resolve, reject) => {
    receiver.on('message', (data: Buffer, isBinary: boolean) => resolve({ text: data.toString('utf8'), isBinary }));
    receiver.on('error', reject);
    receiver.write(frame);
  });
}

describe('textFrame', () => {
  // Each length where the header changes size (RFC 6455 §5.2), and text that is not ASCII.
  it.each([0, 1, 125, 126, 127, 0xffff, 0x10000, 200_000])('is the frame ws makes, for %i bytes of text', async (length) => {
    const text = 'x'.repeat(length);
    expect(textFrame(text).equals(wsFrame(text))).toBe(true);
    expect(await received(textFrame(text))).toEqual({ text, isBinary: false });
  });

  it('counts the payload in bytes, not characters', async () => {
    const text = `{"name":"Zoë 🦊 ${'ü'.repeat(60)}"}`;
    expect(textFrame(text).equals(wsFrame(text))).toBe(true);
    expect(await received(textFrame(text))).toEqual({ text, isBinary: false });
  });
});
