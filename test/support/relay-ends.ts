import type { LocalEnd } from '../../web/src/net/files/relay-end.ts';

/** A hosting tab that takes no part in the transfers it relays: tests spread it and override what they watch. */
export const noLocalEnd: LocalEnd = {
  chunk: () => undefined,
  ended: () => undefined,
  acked: () => undefined,
  seek: () => true,
  chunkBytesOf: () => undefined,
  known: () => undefined,
  roomPeers: () => [],
  identityOf: () => undefined,
};
