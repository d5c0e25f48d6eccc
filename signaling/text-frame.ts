/**
 * One WebSocket text frame as a server sends it (RFC 6455 §5.2: FIN set, opcode 1, no mask), header and payload in a
 * single buffer, so that the frame leaves in one piece. ws writes each frame as a header buffer and the text itself,
 * and a write that holds text costs Node an extra copy and buffer object on every system call; a frame made here once
 * also goes to every member of a room unchanged (a roster of 100 is about 15 KB).
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  // Payload lengths up to 125 fit the second byte; 126 announces 16 bits of length, 127 64 bits.
  const header = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    // A frame of a signaling server is far below 4 GiB (MAX_SIGNAL_FRAME_BYTES bounds what it relays).
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(length, 6);
  }
  frame.write(text, header, 'utf8');
  return frame;
}
