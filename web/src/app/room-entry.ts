/**
 * Everything the page needs once a person joins, which the join form does not: the room session and its network code
 * (net/, simple-peer), the profile's keys and trust store, the cryptography (with what reads a private room's invite),
 * and the room's components. The shell (chat-app.ts) loads this with import() as soon as the person starts on the
 * join form, or at once for a private room's invite link, and waits for it on Join. One file: each file more costs a
 * request and its headers, and compresses apart from the rest.
 */
import '../components/room-view.ts';

export { RoomController } from '../controllers/room-controller.ts';
export { signalingUrl } from '../net/signaling-client.ts';
export { invalidInviteText, newPrivateInvite, privateInviteFrom, readFragment } from './private-invite.ts';
