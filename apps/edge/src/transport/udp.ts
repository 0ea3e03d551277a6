// UDP transport: one socket, one response per datagram, sent from the
// 'message' handler. The engine is transport-agnostic (respond(bytes) ->
// bytes), so a batched native transport (recvmmsg/sendmmsg) can replace this
// file without touching the engine.
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Responder } from '../pipeline/respond.js';

export interface UdpServer {
  port: number;
  close(): Promise<void>;
}

export function listenUdp(responder: Responder, host: string, port: number): Promise<UdpServer> {
  // Cluster workers share the primary's socket (not exclusive): the kernel spreads datagrams.
  const socket = dgram.createSocket({
    type: isIPv6(host) ? 'udp6' : 'udp4',
    reuseAddr: true,
    // Replies go to the address a datagram came from, always an IP: skip dns.lookup's tick per send.
    lookup: (address, _options, callback) =>
      (callback as (e: null, a: string, f: number) => void)(null, address, isIPv6(address) ? 6 : 4),
  });
  socket.on('message', (msg, rinfo) => {
    let out: Buffer | null;
    try {
      out = responder.respond(msg, false, rinfo.address);
    } catch {
      // A bug must not take the server down: count it and stay silent for this datagram.
      responder.metrics.dropped++;
      return;
    }
    if (out) socket.send(out, rinfo.port, rinfo.address);
  });
  // Sending can fail per destination (ICMP unreachable); nothing to do but carry on.
  socket.on('error', () => {});
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: host, port, exclusive: false }, () => {
      socket.off('error', reject);
      socket.setRecvBufferSize(4 * 1024 * 1024);
      socket.setSendBufferSize(4 * 1024 * 1024);
      resolve({
        port: socket.address().port,
        close: () => new Promise<void>((done) => socket.close(() => done())),
      });
    });
  });
}
