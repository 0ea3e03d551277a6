// UdpTcpDnsClient over real sockets: against Knot DNS (IPv4, IPv6, a
// truncated answer retried over TCP), and against small UDP servers written
// here that misbehave on purpose (wrong ids, wrong questions, garbage,
// silence, FORMERR to EDNS).
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import {
  Name,
  NO_FLAGS,
  RRType,
  Rcode,
  decodeMessage,
  encodeMessage,
  printRdata,
  rdataFromText,
  type Message,
} from '@herald/dns';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UdpTcpDnsClient } from '../../src/adapters/dns-client/udp-tcp-dns-client.js';
import { DnsQueryError } from '../../src/ports/dns-client.port.js';
import { startKnot, type KnotServer } from './knot.js';

const origin = Name.parse('client.test.');
const www = Name.parse('www.client.test.');
const big = Name.parse('big.client.test.');
// Ten TXT records of 200 octets: over 2000 octets, more than the 1232 the client offers over UDP.
const bigTxt = Array.from({ length: 10 }, (_, i) => `big TXT "${String(i).repeat(200)}"`).join('\n');

let knot: KnotServer | undefined;
beforeAll(async () => {
  knot = await startKnot({
    listen: ['127.0.0.6@53', '::1@53'],
    zones: {
      'client.test.': `$ORIGIN client.test.
$TTL 300
@ SOA ns hostmaster 1 3600 900 604800 300
@ NS ns
ns A 127.0.0.6
www A 192.0.2.1
www AAAA 2001:db8::1
${bigTxt}
`,
    },
  });
}, 20_000);
afterAll(async () => knot?.stop());

const client = new UdpTcpDnsClient({ timeoutMs: 300 });
const values = (m: Message) => m.answers.map((rr) => printRdata(rr.type, rr.data));

describe('against Knot DNS', () => {
  test('IPv4', async () => {
    const reply = await client.query({ address: '127.0.0.6', port: 53 }, www, RRType.A, {
      recursionDesired: false,
    });
    expect(reply.rcode).toBe(Rcode.NOERROR);
    expect(reply.flags).toMatchObject({ qr: true, aa: true, rd: false, tc: false });
    expect(values(reply)).toEqual(['192.0.2.1']);
  });

  test('IPv6, and the question answered whatever its case', async () => {
    const reply = await client.query(
      { address: '::1', port: 53 },
      Name.parse('WWW.Client.TEST.'),
      RRType.AAAA,
      {
        recursionDesired: true,
      },
    );
    expect(values(reply)).toEqual(['2001:db8::1']);
  });

  test('a truncated UDP answer is asked again over TCP', async () => {
    const reply = await client.query({ address: '127.0.0.6', port: 53 }, big, RRType.TXT, {
      recursionDesired: false,
    });
    expect(reply.flags.tc).toBe(false);
    expect(reply.answers).toHaveLength(10);
    // Larger than the UDP payload offered: it can only have come over TCP.
    expect(encodeMessage(reply).length).toBeGreaterThan(1232);
  });

  test('NXDOMAIN is an answer, not an error', async () => {
    const reply = await client.query({ address: '127.0.0.6', port: 53 }, origin.child('nope'), RRType.A, {
      recursionDesired: false,
    });
    expect(reply.rcode).toBe(Rcode.NXDOMAIN);
    expect(reply.authorities.map((rr) => rr.type)).toEqual([RRType.SOA]);
  });
});

/** A UDP server on 127.0.0.1 that answers each query with what `respond` returns. */
async function udpServer(respond: (query: Message, nth: number) => Uint8Array[]) {
  const socket = dgram.createSocket('udp4');
  const received: Message[] = [];
  socket.on('message', (data, from) => {
    const query = decodeMessage(new Uint8Array(data));
    received.push(query);
    for (const out of respond(query, received.length)) socket.send(out, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: { address: '127.0.0.1', port: (socket.address() as AddressInfo).port },
    received,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function answer(query: Message, changes: Partial<Message> = {}): Uint8Array {
  const q = query.questions[0]!;
  return encodeMessage({
    ...query,
    flags: { ...NO_FLAGS, qr: true, aa: true },
    answers: [
      { name: q.name, type: RRType.A, class: 1, ttl: 60, data: rdataFromText(RRType.A, '192.0.2.7') },
    ],
    additionals: [],
    ...changes,
  });
}

describe('against misbehaving servers', () => {
  test('answers with another id or question, and garbage, are ignored', async () => {
    const fake = await udpServer((query) => [
      answer(query, { id: (query.id + 1) & 0xffff }),
      answer(query, { questions: [{ name: Name.parse('other.example.'), type: RRType.A, class: 1 }] }),
      answer(query, { questions: [{ ...query.questions[0]!, type: RRType.AAAA }] }),
      Uint8Array.of(1, 2, 3),
      answer(query, {
        rcode: Rcode.NOERROR,
        questions: [{ ...query.questions[0]!, name: Name.parse('WwW.ExAmPlE.') }],
        answers: [],
      }),
    ]);
    try {
      const reply = await client.query(fake.server, Name.parse('www.example.'), RRType.A, {
        recursionDesired: true,
      });
      // The last datagram: right id, same question in another case.
      expect(reply.answers).toEqual([]);
      expect(reply.questions[0]!.name.toString()).toBe('WwW.ExAmPlE.');
      expect(fake.received).toHaveLength(1);
      expect(fake.received[0]!.flags.rd).toBe(true);
    } finally {
      await fake.close();
    }
  });

  test('random ids', async () => {
    const fake = await udpServer((query) => [answer(query)]);
    try {
      for (let i = 0; i < 8; i++)
        await client.query(fake.server, Name.parse('www.example.'), RRType.A, { recursionDesired: false });
      expect(new Set(fake.received.map((q) => q.id)).size).toBeGreaterThan(4);
    } finally {
      await fake.close();
    }
  });

  test('silence: one retry, then a timeout', async () => {
    const fake = await udpServer(() => []);
    try {
      const started = Date.now();
      const e = await client
        .query(fake.server, Name.parse('www.example.'), RRType.A, { recursionDesired: false, timeoutMs: 150 })
        .catch((err: unknown) => err);
      expect(e).toBeInstanceOf(DnsQueryError);
      expect(e).toMatchObject({ reason: 'timeout' });
      expect((e as Error).message).toBe(
        `127.0.0.1:${fake.server.port} did not answer www.example. A (2 tries, 150 ms each)`,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(fake.received.map((q) => q.id)).toEqual([fake.received[0]!.id, fake.received[0]!.id]);
    } finally {
      await fake.close();
    }
  });

  test('an answer to the retry is taken', async () => {
    const fake = await udpServer((query, nth) => (nth === 2 ? [answer(query)] : []));
    try {
      const reply = await client.query(fake.server, Name.parse('www.example.'), RRType.A, {
        recursionDesired: false,
        timeoutMs: 150,
      });
      expect(values(reply)).toEqual(['192.0.2.7']);
    } finally {
      await fake.close();
    }
  });

  test('only garbage comes back: malformed', async () => {
    const fake = await udpServer(() => [Uint8Array.of(0, 1, 0x80)]);
    try {
      await expect(
        client.query(fake.server, Name.parse('www.example.'), RRType.A, {
          recursionDesired: false,
          timeoutMs: 100,
        }),
      ).rejects.toMatchObject({
        reason: 'malformed',
        message: /sent no well-formed answer .*12-octet header/,
      });
    } finally {
      await fake.close();
    }
  });

  test('FORMERR to an EDNS query: asked again without OPT', async () => {
    const fake = await udpServer((query) =>
      query.additionals.length > 0
        ? [answer(query, { rcode: Rcode.FORMERR, questions: [], answers: [] })]
        : [answer(query)],
    );
    try {
      const reply = await client.query(fake.server, Name.parse('www.example.'), RRType.A, {
        recursionDesired: false,
      });
      expect(values(reply)).toEqual(['192.0.2.7']);
      expect(fake.received.map((q) => q.additionals.length)).toEqual([1, 0]);
    } finally {
      await fake.close();
    }
  });

  test('nothing listening: unreachable at once', async () => {
    const started = Date.now();
    await expect(
      client.query({ address: '127.0.0.3', port: 53 }, Name.parse('www.example.'), RRType.A, {
        recursionDesired: true,
      }),
    ).rejects.toMatchObject({ reason: 'unreachable', message: '127.0.0.3:53 is unreachable (ECONNREFUSED)' });
    expect(Date.now() - started).toBeLessThan(300);
  });

  test('not an IP address', async () => {
    await expect(
      client.query({ address: 'ns.example.', port: 53 }, Name.parse('www.example.'), RRType.A, {
        recursionDesired: true,
      }),
    ).rejects.toBeInstanceOf(DnsQueryError);
  });
});
