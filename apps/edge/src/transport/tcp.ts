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
    // Unprocessed input as received: joined only once a whole message is there,
    // so a client dribbling one octet at a time costs no repeated copying.
    let chunks: Buffer[] = [];
    let total = 0;
    // Slowloris guard: a message must complete within the idle timeout of its first octet.
    let partialSince = 0;
    let waiting = false;
    const client = socket.remoteAddress ?? '';

    const take = (n: number): Buffer => {
      let head = chunks[0]!;
      if (head.length < n) {
        head = Buffer.concat(chunks, total);
        chunks = [head];
      }
      const out = head.subarray(0, n);
      if (head.length === n) chunks.shift();
      else chunks[0] = head.subarray(n);
      total -= n;
      return out;
    };
    const peekLength = (): number => {
      if (chunks[0]!.length < 2) chunks = [Buffer.concat(chunks, total)];
      return chunks[0]!.readUInt16BE(0);
    };

    const work = (): void => {
      let answered = false;
      socket.cork();
      try {
        while (total >= 2) {
          // A client that sends but does not read: stop until it catches up (then the idle timeout applies).
          if (socket.writableLength > MAX_QUEUED_OUTPUT) {
            if (!waiting) {
              waiting = true;
              socket.pause();
              socket.once('drain', () => {
                waiting = false;
                socket.resume();
                work();
              });
            }
            return;
          }
          const len = peekLength();
          if (total < 2 + len) break;
          const msg = take(2 + len).subarray(2);
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
          socket.write(framed);
          answered = true;
        }
      } finally {
        if (!socket.destroyed) socket.uncork();
      }
      // Each completed message restarts the clock for the next one.
      if (total === 0) partialSince = 0;
      else if (partialSince === 0 || answered) partialSince = Date.now();
      else if (Date.now() - partialSince > options.idleTimeoutMs) socket.destroy();
    };

    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (!waiting) work();
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
