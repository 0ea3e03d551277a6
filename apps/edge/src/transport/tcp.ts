// TCP transport (RFC 7766): two-octet length prefix, any number of queries per
// connection (pipelined; answered in order), an idle timeout, a connection
// limit, and a cap on buffered input so a slow or hostile client costs at most
// one message of memory.
import net from 'node:net';
import type { Responder } from '../pipeline/respond.js';

export interface TcpOptions {
  idleTimeoutMs: number;
  maxConnections: number;
}

export interface TcpServer {
  port: number;
  close(): Promise<void>;
}

/** Octets of answers queued for one connection before the server stops reading its queries. */
const MAX_QUEUED_OUTPUT = 256 * 1024;

export function listenTcp(
  responder: Responder,
  host: string,
  port: number,
  options: TcpOptions,
): Promise<TcpServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    if (sockets.size >= options.maxConnections) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.setTimeout(options.idleTimeoutMs, () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending: Buffer = Buffer.alloc(0);
    // Slowloris guard: a message must complete within the idle timeout of its first octet.
    let partialSince = 0;
    const client = socket.remoteAddress ?? '';
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const replies: Buffer[] = [];
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const msg = pending.subarray(2, 2 + len);
        pending = pending.subarray(2 + len);
        let out: Buffer | null;
        try {
          out = responder.respond(msg, true, client);
        } catch {
          out = null;
        }
        if (!out) {
          // Too broken to answer: on TCP, close (RFC 7766 §6.2.4 lets the server end the connection).
          socket.destroy();
          return;
        }
        const framed = Buffer.allocUnsafe(2 + out.length);
        framed.writeUInt16BE(out.length, 0);
        out.copy(framed, 2);
        replies.push(framed);
      }
      // A message must complete within the idle timeout of its first octet; each completed one restarts the clock.
      if (pending.length === 0) partialSince = 0;
      else if (partialSince === 0 || replies.length > 0) partialSince = Date.now();
      else if (Date.now() - partialSince > options.idleTimeoutMs) {
        socket.destroy();
        return;
      }
      if (replies.length === 1) socket.write(replies[0]!);
      else if (replies.length > 1) socket.write(Buffer.concat(replies));
      // A client that sends but does not read: stop reading until it catches up (then the idle timeout applies).
      if (socket.writableLength > MAX_QUEUED_OUTPUT) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    });
  });
  server.maxConnections = options.maxConnections;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: false }, () => {
      server.off('error', reject);
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
