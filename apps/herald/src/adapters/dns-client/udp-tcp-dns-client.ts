import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import {
  RRType,
  Rcode,
  decodeMessage,
  encodeMessage,
  makeQuery,
  typeToString,
  type Message,
  type Name,
} from '@herald/dns';
import {
  DnsQueryError,
  formatServer,
  type DnsClient,
  type DnsQueryOptions,
  type DnsServer,
} from '../../ports/dns-client.port.js';

export interface UdpTcpDnsClientOptions {
  /** Wait per attempt, in milliseconds (default 2000). */
  timeoutMs?: number;
  /** Tries per transport (default 2: the query and one retry). */
  attempts?: number;
  /** UDP payload size offered in an OPT record (default 1232, the 2020 DNS flag day value); 0 sends none. */
  udpPayloadSize?: number;
}

/**
 * Asks over UDP and again over TCP when the answer is truncated (TC=1).
 * Every query gets a random id from a fresh socket (random source port); a
 * reply counts only when it comes from the server (connected socket), has
 * the id, and repeats the question (name compared without case). Anything
 * else is ignored, as a spoofed or stale datagram would be.
 */
export class UdpTcpDnsClient implements DnsClient {
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly udpPayloadSize: number;

  constructor(options: UdpTcpDnsClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.attempts = Math.max(1, options.attempts ?? 2);
    this.udpPayloadSize = options.udpPayloadSize ?? 1232;
  }

  async query(server: DnsServer, name: Name, type: number, options: DnsQueryOptions): Promise<Message> {
    const family = net.isIP(server.address);
    if (family === 0)
      throw new DnsQueryError(server, 'unreachable', `${server.address} is not an IP address`);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    let edns = this.udpPayloadSize > 0;
    for (;;) {
      const query = makeQuery(name, type, {
        id: randomInt(0x10000),
        recursionDesired: options.recursionDesired,
        ...(edns ? { edns: { payloadSize: this.udpPayloadSize } } : {}),
      });
      const ask = { server, query, bytes: encodeMessage(query), timeoutMs, what: describe(name, type) };
      let reply = await udpExchange(ask, family === 6 ? 'udp6' : 'udp4', this.attempts);
      if (reply.flags.tc) reply = await this.overTcp(ask);
      // A server that predates EDNS answers FORMERR without an OPT record: ask it again without one (RFC 6891 §7).
      if (edns && reply.rcode === Rcode.FORMERR && !reply.additionals.some((rr) => rr.type === RRType.OPT)) {
        edns = false;
        continue;
      }
      return reply;
    }
  }

  /** TCP gets the same retry UDP has, on a new connection; a malformed answer is final. */
  private async overTcp(ask: Ask): Promise<Message> {
    let last: unknown;
    for (let i = 0; i < this.attempts; i++) {
      try {
        return await tcpExchange(ask);
      } catch (e) {
        if (!(e instanceof DnsQueryError) || e.reason === 'malformed') throw e;
        last = e;
      }
    }
    throw last;
  }
}

interface Ask {
  server: DnsServer;
  query: Message;
  bytes: Uint8Array;
  timeoutMs: number;
  what: string;
}

const describe = (name: Name, type: number) => `${name.toString()} ${typeToString(type)}`;

/** Is `reply` the answer to `query`? */
function answers(query: Message, reply: Message): boolean {
  if (reply.id !== query.id || !reply.flags.qr || reply.opcode !== query.opcode) return false;
  // FORMERR and the like may come back without the question (RFC 6891 §7); the id must do then.
  if (reply.questions.length === 0) return reply.rcode !== Rcode.NOERROR;
  const q = query.questions[0]!;
  const a = reply.questions[0]!;
  return reply.questions.length === 1 && a.type === q.type && a.class === q.class && a.name.equals(q.name);
}

function errorCode(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return err.code ?? err.message ?? String(e);
}

/**
 * One UDP exchange on its own socket. A retry is another send on the same
 * socket, so a late answer to the first datagram still counts. The socket is
 * connected: the kernel drops datagrams from other addresses, and an ICMP
 * "port unreachable" arrives as ECONNREFUSED at once instead of a silent
 * timeout (no retry then: the server's host said nothing listens there).
 */
function udpExchange(ask: Ask, kind: 'udp4' | 'udp6', attempts: number): Promise<Message> {
  const { server, query, bytes, timeoutMs } = ask;
  return new Promise<Message>((resolve, reject) => {
    const socket = dgram.createSocket(kind);
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let malformed: string | undefined;
    let sent = 0;
    const finish = (error: DnsQueryError | undefined, reply?: Message) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(reply!);
    };
    const unreachable = (e: unknown) =>
      finish(
        new DnsQueryError(server, 'unreachable', `${formatServer(server)} is unreachable (${errorCode(e)})`),
      );
    socket.on('error', unreachable);
    socket.on('message', (data) => {
      let reply: Message;
      try {
        reply = decodeMessage(new Uint8Array(data));
      } catch (e) {
        malformed = (e as Error).message;
        return;
      }
      if (answers(query, reply)) finish(undefined, reply);
    });
    const send = () => {
      sent++;
      socket.send(bytes, (e) => {
        if (e) unreachable(e);
      });
      timer = setTimeout(() => {
        if (sent < attempts) return send();
        finish(
          malformed === undefined
            ? new DnsQueryError(
                server,
                'timeout',
                `${formatServer(server)} did not answer ${ask.what} (${attempts} tries, ${timeoutMs} ms each)`,
              )
            : new DnsQueryError(
                server,
                'malformed',
                `${formatServer(server)} sent no well-formed answer to ${ask.what}: ${malformed}`,
              ),
        );
      }, timeoutMs);
    };
    socket.connect(server.port, server.address, () => {
      if (!done) send();
    });
  });
}

/** One TCP exchange: a 2-octet length before each message (RFC 1035 §4.2.2). */
function tcpExchange(ask: Ask): Promise<Message> {
  const { server, query, bytes, timeoutMs } = ask;
  return new Promise<Message>((resolve, reject) => {
    const socket = net.connect({ host: server.address, port: server.port });
    let done = false;
    let buffered = Buffer.alloc(0);
    const finish = (error: DnsQueryError | undefined, reply?: Message) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    const timer = setTimeout(
      () =>
        finish(
          new DnsQueryError(
            server,
            'timeout',
            `${formatServer(server)} did not answer ${ask.what} over TCP within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
    socket.on('connect', () => {
      const frame = Buffer.alloc(2 + bytes.length);
      frame.writeUInt16BE(bytes.length, 0);
      frame.set(bytes, 2);
      socket.write(frame);
    });
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) return;
        const frame = new Uint8Array(buffered.subarray(2, 2 + length));
        buffered = buffered.subarray(2 + length);
        let reply: Message;
        try {
          reply = decodeMessage(frame);
        } catch (e) {
          return finish(
            new DnsQueryError(
              server,
              'malformed',
              `${formatServer(server)} sent a malformed answer to ${ask.what} over TCP: ${(e as Error).message}`,
            ),
          );
        }
        if (answers(query, reply)) return finish(undefined, reply);
      }
    });
    socket.on('error', (e) =>
      finish(
        new DnsQueryError(
          server,
          'unreachable',
          `${formatServer(server)} is unreachable over TCP (${errorCode(e)})`,
        ),
      ),
    );
    socket.on('close', () =>
      finish(
        new DnsQueryError(
          server,
          'unreachable',
          `${formatServer(server)} closed the TCP connection without answering ${ask.what}`,
        ),
      ),
    );
  });
}
