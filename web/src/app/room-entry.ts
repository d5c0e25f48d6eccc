/**
 * Everything the page needs once a person joins, which the join form does not: the room session and its network code
 * (net/, simple-peer), the profile's keys and trust store, the cryptography, and the room's components. The shell
 * (chat-app.ts) loads this with import() as soon as the person starts on the join form, and waits for it on Join.
 */
import '../components/room-view.ts';

export { RoomController } from '../controllers/room-controller.ts';
export { signalingUrl } from '../net/signaling-client.ts';
