import type { Result } from '../result.ts';
import { encodeFields } from './encoding.ts';
import type { CryptoError } from './errors.ts';
import { Label } from './labels.ts';
import type { PrivateRoom } from './private-room.ts';
import type { RandomBytes } from './random.ts';
import { openText, sealText, type Sealed } from './sealed.ts';

/**
 * Signals (SDP offers and answers, ICE candidates) of a private room, sealed end to end under the room's signal
 * key, so the server that forwards them can neither read the peers' addresses and DTLS fingerprints nor substitute
 * its own (which would let it sit in the middle of the data channel). The associated data binds the room and the
 * server-stamped `from` and the `to` peer ids: a signal re-addressed or re-attributed by the server does not open.
 * The server can still drop or replay a signal between the same two peer ids; a replayed offer only fails to
 * connect.
 */

/** Who a signal goes between, as the server routes it. */
export interface SignalRoute {
  readonly room: string;
  /** The sender's peer id (the server stamps it on delivery). */
  readonly from: string;
  /** The receiver's peer id. */
  readonly to: string;
}

/** Seals a signal's JSON text. Throws on a route that does not encode (caller misuse). */
export function sealSignal(room: PrivateRoom, route: SignalRoute, payload: string, random: RandomBytes): Sealed {
  const ad = signalAssociatedData(route);
  if (!ad.ok) throw new Error(ad.error.message);
  return sealText(room.signalKey, payload, ad.value, random);
}

/** Opens a sealed signal with the route the server delivered it on. Never throws. */
export function openSignal(room: PrivateRoom, route: SignalRoute, sealed: Sealed): Result<string, CryptoError> {
  const ad = signalAssociatedData(route);
  if (!ad.ok) return ad;
  return openText(room.signalKey, sealed, ad.value);
}

function signalAssociatedData(route: SignalRoute): Result<Uint8Array, CryptoError> {
  return encodeFields([{ text: Label.sealedSignal }, { text: route.room }, { text: route.from }, { text: route.to }]);
}
