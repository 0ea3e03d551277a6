// A small DNS client for the differential test: one query, one answer, over
// UDP (a socket per query) or TCP (a connection per query, RFC 1035 §4.2.2
// two-octet length prefix). Messages are built and read with @herald/dns.
import { createSocket } from 'node:dgram';
import { Socket } from 'node:net';
import { decodeMessage, encodeMessage, type Message } from '@herald/dns';

export type Transport = 'udp' | 'tcp';

export interface Endpoint {
  host: string;
  port: number;
}

export interface Exchange {
  /** The answer's octets, as received (without the TCP length prefix). */
  bytes: Uint8Array;
  /** Undefined when the octets do not parse; `error` then says why. */
  message?: Message;
  error?: string;
}

const TIMEOUT_MS = 2000;

function udpOnce(to: Endpoint, query: Uint8Array, id: number, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(
      () => finish(new Error(`no UDP answer from ${to.host}:${to.port} in ${timeoutMs} ms`)),
      timeoutMs,
    );
    let done = false;
    function finish(error: Error | undefined, bytes?: Uint8Array) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(bytes!);
    }
    socket.on('error', (e) => finish(e));
    socket.on('message', (msg, rinfo) => {
      // Only an answer from the server, to this query's id, counts (RFC 5452 §4.1).
      if (rinfo.address !== to.host || rinfo.port !== to.port) return;
      if (msg.length >= 2 && msg.readUInt16BE(0) !== id) return;
      finish(undefined, new Uint8Array(msg));
    });
    socket.send(query, to.port, to.host, (e) => {
      if (e) finish(e);
    });
  });
}

function tcpOnce(to: Endpoint, query: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let buffered = Buffer.alloc(0);
    let done = false;
    const timer = setTimeout(
      () => finish(new Error(`no TCP answer from ${to.host}:${to.port} in ${timeoutMs} ms`)),
      timeoutMs,
    );
    function finish(error: Error | undefined, bytes?: Uint8Array) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(bytes!);
    }
    socket.on('error', (e) => finish(e));
    socket.on('close', () =>
      finish(new Error(`TCP connection closed after ${buffered.length} octet(s), before a whole answer`)),
    );
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2) return;
      const length = buffered.readUInt16BE(0);
      if (buffered.length >= 2 + length) finish(undefined, new Uint8Array(buffered.subarray(2, 2 + length)));
    });
    socket.connect(to.port, to.host, () => {
      const framed = Buffer.alloc(2 + query.length);
      framed.writeUInt16BE(query.length, 0);
      framed.set(query, 2);
      socket.write(framed);
    });
  });
}

/** Sends one query; UDP is tried three times before giving up (a lost datagram is not a difference). */
export async function exchange(to: Endpoint, query: Message, transport: Transport): Promise<Exchange> {
  const wire = encodeMessage(query);
  let bytes: Uint8Array;
  if (transport === 'tcp') bytes = await tcpOnce(to, wire, TIMEOUT_MS);
  else {
    let attempt = 0;
    for (;;) {
      try {
        bytes = await udpOnce(to, wire, query.id, TIMEOUT_MS);
        break;
      } catch (e) {
        if (++attempt === 3) throw e;
      }
    }
  }
  try {
    return { bytes, message: decodeMessage(bytes) };
  } catch (e) {
    return { bytes, error: (e as Error).message };
  }
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the items' order. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
