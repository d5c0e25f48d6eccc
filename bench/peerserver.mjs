// PeerServer (the `peer` package), the standard WebRTC broker, started through its library API so that it does no
// per-connection console logging (its CLI logs every connection). Usage: node bench/peerserver.mjs <port>
import { PeerServer } from 'peer';

const port = Number(process.argv[2]);
PeerServer({ host: '127.0.0.1', port, concurrent_limit: 1_000_000, alive_timeout: 600_000, expire_timeout: 600_000 }, () => {
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
});
