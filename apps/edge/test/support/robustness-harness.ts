// Helpers for the robustness tests: a test zone (large RRsets, a wide
// referral, DNAME, wildcard), a Responder built from it, an in-process edge
// on free ports, hand-built query octets, and small UDP/TCP clients that keep
// every octet they receive.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Name } from '@herald/dns';
import { buildZone } from '../../src/engine/build.js';
import { Catalog } from '../../src/engine/catalog.js';
import { loadEdgeConfig, startEdge, type EdgeHandle } from '../../src/index.js';
import { Responder } from '../../src/pipeline/respond.js';
import { ZoneTextReader } from '../../src/sync/zone-text.js';

const text100 = (tag: string) => `"${tag}-${'x'.repeat(96 - tag.length)}"`;

export const ZONE_ORIGIN = 'example.com.';

export const ZONE = [
  '$TTL 300',
  '@ SOA ns1 hostmaster 1 7200 900 1209600 60',
  '@ NS ns1',
  '@ NS ns2.example.net.',
  '@ MX 10 mail',
  'ns1 A 192.0.2.1',
  'mail A 192.0.2.2',
  'www A 192.0.2.3',
  'www AAAA 2001:db8::3',
  'alias CNAME www',
  '*.wild TXT "wild"',
  'sub NS ns.sub',
  'ns.sub A 192.0.2.53',
  // ~3.3 KB: cut even with EDNS (1232).
  ...Array.from({ length: 30 }, (_, i) => `big TXT ${text100(`big${i}`)}`),
  // ~900 octets: cut without EDNS, whole with EDNS 1232.
  ...Array.from({ length: 8 }, (_, i) => `mid TXT ${text100(`mid${i}`)}`),
  // A referral whose glue does not fit 512 octets (RFC 9471: TC).
  ...Array.from({ length: 14 }, (_, i) => `deleg NS ns${i}.deleg`),
  ...Array.from({ length: 14 }, (_, i) => `ns${i}.deleg A 192.0.2.${100 + i}`),
  'dn DNAME target.example.net.',
  `ldn DNAME ${Array.from({ length: 3 }, () => 'l'.repeat(63)).join('.')}.example.net.`,
  '',
].join('\n');

export function makeResponder(): Responder {
  const r = new ZoneTextReader(ZONE_ORIGIN);
  r.write(ZONE);
  const img = buildZone(Name.parse(ZONE_ORIGIN).wire, r.end(), 1);
  const cat = new Catalog();
  cat.set(ZONE_ORIGIN, img);
  return new Responder(cat, {
    nsid: Uint8Array.from(Buffer.from('robustness-edge')),
    chaos: { identity: 'robustness-edge', version: 'herald-edge 0.1.0' },
  });
}

export interface TestEdge {
  edge: EdgeHandle;
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startTestEdge(env: Record<string, string> = {}): Promise<TestEdge> {
  const dir = mkdtempSync(path.join(tmpdir(), 'edge-robustness-'));
  const zoneFile = path.join(dir, 'example.com.zone');
  writeFileSync(zoneFile, ZONE);
  const config = {
    ...loadEdgeConfig(
      {
        EDGE_ID: 'robustness-edge',
        EDGE_DNS_LISTEN: '127.0.0.1:0',
        EDGE_HTTP_LISTEN: 'off',
        EDGE_WORKERS: '1',
        EDGE_DATA_DIR: path.join(dir, 'data'),
        EDGE_TCP_IDLE_SECONDS: '2',
        EDGE_TCP_MAX_CONNECTIONS: '20',
        ...env,
      },
      dir,
    ),
    staticZones: [{ origin: ZONE_ORIGIN, file: zoneFile }],
  };
  const edge = await startEdge(config, { handleSignals: false, stdout: { write() {} } });
  return {
    edge,
    host: edge.dns.host,
    port: edge.dns.port,
    close: async () => {
      await edge.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------- query octets

/** Wire form of a presentation name (no escapes); case kept. */
export function wireName(name: string): Uint8Array {
  const out: number[] = [];
  for (const label of name.split('.').filter(Boolean))
    out.push(label.length, ...Buffer.from(label, 'latin1'));
  out.push(0);
  return Uint8Array.from(out);
}

export interface EdnsSpec {
  payload: number;
  version?: number;
  extendedRcode?: number;
  dnssecOk?: boolean;
  options?: { code: number; data: Uint8Array }[];
  /** The owner's wire form; default the root. */
  owner?: Uint8Array;
}

export interface QuerySpec {
  id: number;
  /** The second header octet pair, QR/opcode/AA/TC/RD and RA/Z/AD/CD/RCODE; default 0 (a plain query). */
  flags?: number;
  qname: Uint8Array;
  qtype: number;
  qclass?: number;
  edns?: EdnsSpec;
}

export function optRecord(e: EdnsSpec): Uint8Array {
  const rdata = Buffer.concat(
    (e.options ?? []).map((o) => {
      const h = Buffer.alloc(4);
      h.writeUInt16BE(o.code, 0);
      h.writeUInt16BE(o.data.length, 2);
      return Buffer.concat([h, o.data]);
    }),
  );
  const owner = e.owner ?? Uint8Array.of(0);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(41, 0);
  fixed.writeUInt16BE(e.payload, 2);
  fixed[4] = e.extendedRcode ?? 0;
  fixed[5] = e.version ?? 0;
  fixed[6] = e.dnssecOk ? 0x80 : 0;
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([owner, fixed, rdata]);
}

export function header(id: number, flags: number, qd: number, an: number, ns: number, ar: number): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(flags, 2);
  h.writeUInt16BE(qd, 4);
  h.writeUInt16BE(an, 6);
  h.writeUInt16BE(ns, 8);
  h.writeUInt16BE(ar, 10);
  return h;
}

export function buildQuery(s: QuerySpec): Buffer {
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(s.qtype, 0);
  tail.writeUInt16BE(s.qclass ?? 1, 2);
  return Buffer.concat([
    header(s.id, s.flags ?? 0, 1, 0, 0, s.edns ? 1 : 0),
    s.qname,
    tail,
    ...(s.edns ? [optRecord(s.edns)] : []),
  ]);
}

/** Frames DNS messages for TCP (RFC 1035 §4.2.2). */
export function frame(...messages: Uint8Array[]): Buffer {
  return Buffer.concat(
    messages.flatMap((m) => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(m.length, 0);
      return [len, Buffer.from(m)];
    }),
  );
}

// ---------------------------------------------------------------- clients

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One UDP socket; answers matched to queries by message id. */
export class UdpClient {
  private readonly waiting = new Map<number, (msg: Buffer) => void>();
  received = 0;

  private constructor(readonly socket: UdpSocket) {
    socket.on('message', (msg) => {
      this.received++;
      if (msg.length < 2) return;
      const w = this.waiting.get(msg.readUInt16BE(0));
      if (w) w(msg);
    });
    socket.on('error', () => {});
  }

  static open(): Promise<UdpClient> {
    const s = createSocket('udp4');
    return new Promise((resolve) => s.bind(0, '127.0.0.1', () => resolve(new UdpClient(s))));
  }

  send(bytes: Uint8Array, port: number, host = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(bytes, port, host, (e) => (e ? reject(e) : resolve())),
    );
  }

  /** The answer to `query` (by its id), or null after `timeoutMs`. */
  ask(query: Uint8Array, port: number, timeoutMs: number, host = '127.0.0.1'): Promise<Buffer | null> {
    const id = (query[0]! << 8) | query[1]!;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(null);
      }, timeoutMs);
      this.waiting.set(id, (msg) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(msg);
      });
      this.send(query, port, host).catch(reject);
    });
  }

  close(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }
}

/** A TCP DNS client that splits the stream into length-prefixed messages and notes when the server closes. */
export class TcpClient {
  private stream = Buffer.alloc(0);
  readonly messages: Buffer[] = [];
  private taken = 0;
  private notify: (() => void) | undefined;
  bytesReceived = 0;
  closedAt: number | undefined;
  readonly openedAt = Date.now();
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    let onClosed!: () => void;
    this.closed = new Promise((r) => (onClosed = r));
    socket.on('data', (chunk: Buffer) => {
      this.bytesReceived += chunk.length;
      this.stream = Buffer.concat([this.stream, chunk]);
      while (this.stream.length >= 2 && this.stream.length >= 2 + this.stream.readUInt16BE(0)) {
        const len = this.stream.readUInt16BE(0);
        this.messages.push(this.stream.subarray(2, 2 + len));
        this.stream = this.stream.subarray(2 + len);
      }
      this.notify?.();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closedAt ??= Date.now();
      onClosed();
      this.notify?.();
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<TcpClient> {
    return new Promise((resolve, reject) => {
      const s = new Socket();
      s.setNoDelay(true);
      const c = new TcpClient(s);
      s.once('connect', () => resolve(c));
      s.once('error', (e) => reject(e));
      s.connect(port, host);
    });
  }

  get isClosed(): boolean {
    return this.closedAt !== undefined;
  }

  /** Octets received that do not (yet) form a whole framed message. */
  get leftover(): number {
    return this.stream.length;
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.write(bytes, () => resolve());
    });
  }

  /** The next framed message, or null when the connection closes or `timeoutMs` passes first. */
  async next(timeoutMs: number): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.taken < this.messages.length) return this.messages[this.taken++]!;
      if (this.isClosed) return null;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.notify = () => {
          clearTimeout(t);
          r();
        };
      });
      this.notify = undefined;
    }
  }

  /** Whether the server closed the connection within `timeoutMs`. */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    if (this.isClosed) return true;
    await Promise.race([this.closed, sleep(timeoutMs)]);
    return this.isClosed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
