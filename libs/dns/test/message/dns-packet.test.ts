// Cross-checks whole messages with an independent implementation, dns-packet
// 5.6.1: it decodes what we encode (following our compression pointers) and
// we decode what it encodes (it never compresses).
import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import {
  NO_FLAGS,
  Name,
  Opcode,
  RRType,
  Rcode,
  decodeMessage,
  ednsRecord,
  encodeMessage,
  makeQuery,
  printRdata,
  rdataFromText,
  readEdns,
  type Message,
  type ResourceRecord,
} from '../../src/index.js';

const rr = (owner: string, type: number, value: string, ttl: number): ResourceRecord => ({
  name: Name.parse(owner),
  type,
  class: 1,
  ttl,
  data: rdataFromText(type, value),
});
const lines = (section: readonly ResourceRecord[]) =>
  section.map((r) => `${r.name.toString()} ${r.ttl} ${r.type} ${printRdata(r.type, r.data)}`);

describe('queries', () => {
  it('dns-packet reads our query', () => {
    const q = makeQuery(Name.parse('www.Example.com.'), RRType.AAAA, {
      id: 4242,
      recursionDesired: true,
      edns: { payloadSize: 1232, dnssecOk: true },
    });
    const p = dnsPacket.decode(Buffer.from(encodeMessage(q)));
    expect(p).toMatchObject({
      id: 4242,
      type: 'query',
      opcode: 'QUERY',
      rcode: 'NOERROR',
      flag_rd: true,
      flag_aa: false,
      flag_tc: false,
      flag_cd: false,
      questions: [{ name: 'www.Example.com', type: 'AAAA', class: 'IN' }],
      answers: [],
      authorities: [],
    });
    expect(p.additionals).toEqual([
      expect.objectContaining({ type: 'OPT', name: '.', udpPayloadSize: 1232, flag_do: true, options: [] }),
    ]);
  });

  it('we read dns-packet’s query', () => {
    const bytes = dnsPacket.encode({
      type: 'query',
      id: 777,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.CHECKING_DISABLED,
      questions: [{ name: 'example.org', type: 'SOA', class: 'IN' }],
    });
    const m = decodeMessage(bytes);
    expect(m).toMatchObject({ id: 777, opcode: Opcode.QUERY, rcode: Rcode.NOERROR });
    expect(m.flags).toEqual({ ...NO_FLAGS, rd: true, cd: true });
    expect(m.questions.map((q) => [q.name.toString(), q.type, q.class])).toEqual([
      ['example.org.', RRType.SOA, 1],
    ]);
    expect([m.answers, m.authorities, m.additionals]).toEqual([[], [], []]);
  });
});

describe('a response with every section', () => {
  const ours: Message = {
    id: 0xfffe,
    opcode: Opcode.QUERY,
    rcode: Rcode.NOERROR,
    flags: { ...NO_FLAGS, qr: true, aa: true, rd: true, ra: true },
    questions: [{ name: Name.parse('www.example.com.'), type: RRType.A, class: 1 }],
    answers: [
      rr('www.example.com.', RRType.CNAME, 'web.example.com.', 60),
      rr('web.example.com.', RRType.A, '192.0.2.10', 60),
      rr('web.example.com.', RRType.A, '192.0.2.11', 60),
    ],
    authorities: [
      rr('example.com.', RRType.NS, 'ns1.example.com.', 3600),
      rr('example.com.', RRType.NS, 'ns2.example.net.', 3600),
    ],
    additionals: [
      rr('ns1.example.com.', RRType.A, '198.51.100.1', 3600),
      rr('ns1.example.com.', RRType.AAAA, '2001:db8::53', 3600),
      ednsRecord({ payloadSize: 4096 }),
    ],
  };

  it('dns-packet reads ours, compression pointers included', () => {
    const bytes = encodeMessage(ours);
    const p = dnsPacket.decode(Buffer.from(bytes));
    expect(p).toMatchObject({
      id: 0xfffe,
      type: 'response',
      rcode: 'NOERROR',
      flag_qr: true,
      flag_aa: true,
      flag_rd: true,
      flag_ra: true,
      flag_tc: false,
      questions: [{ name: 'www.example.com', type: 'A', class: 'IN' }],
      answers: [
        { name: 'www.example.com', type: 'CNAME', ttl: 60, data: 'web.example.com' },
        { name: 'web.example.com', type: 'A', ttl: 60, data: '192.0.2.10' },
        { name: 'web.example.com', type: 'A', ttl: 60, data: '192.0.2.11' },
      ],
      authorities: [
        { name: 'example.com', type: 'NS', ttl: 3600, data: 'ns1.example.com' },
        { name: 'example.com', type: 'NS', ttl: 3600, data: 'ns2.example.net' },
      ],
    });
    expect(p.additionals).toMatchObject([
      { name: 'ns1.example.com', type: 'A', data: '198.51.100.1' },
      { name: 'ns1.example.com', type: 'AAAA', data: '2001:db8::53' },
      { name: '.', type: 'OPT', udpPayloadSize: 4096, flag_do: false },
    ]);
    // dns-packet writes names out in full; ours is the same message, smaller.
    expect(bytes.length).toBeLessThan(dnsPacket.encode(p).length);
  });

  it('we read dns-packet’s, and say the same things about it', () => {
    const bytes = dnsPacket.encode({
      type: 'response',
      id: 0xfffe,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: [{ name: 'www.example.com', type: 'A', class: 'IN' }],
      answers: [
        { name: 'www.example.com', type: 'CNAME', ttl: 60, data: 'web.example.com' },
        { name: 'web.example.com', type: 'A', ttl: 60, data: '192.0.2.10' },
        { name: 'web.example.com', type: 'A', ttl: 60, data: '192.0.2.11' },
      ],
      authorities: [
        { name: 'example.com', type: 'NS', ttl: 3600, data: 'ns1.example.com' },
        { name: 'example.com', type: 'NS', ttl: 3600, data: 'ns2.example.net' },
      ],
      additionals: [
        { name: 'ns1.example.com', type: 'A', ttl: 3600, data: '198.51.100.1' },
        { name: 'ns1.example.com', type: 'AAAA', ttl: 3600, data: '2001:db8::53' },
        {
          name: '.',
          type: 'OPT',
          udpPayloadSize: 4096,
          extendedRcode: 0,
          ednsVersion: 0,
          flags: 0,
          flag_do: false,
          options: [],
        },
      ],
    });
    const m = decodeMessage(bytes);
    expect(m.id).toBe(ours.id);
    expect(m.flags).toEqual(ours.flags);
    expect(m.questions.map((q) => q.name.toString())).toEqual(['www.example.com.']);
    expect(lines(m.answers)).toEqual(lines(ours.answers));
    expect(lines(m.authorities)).toEqual(lines(ours.authorities));
    expect(lines(m.additionals.slice(0, 2))).toEqual(lines(ours.additionals.slice(0, 2)));
    expect(readEdns(m)).toMatchObject({ payloadSize: 4096, dnssecOk: false, options: [] });
    // Re-encoded by us and read back by dns-packet: the same message again.
    expect(dnsPacket.decode(Buffer.from(encodeMessage(m)))).toEqual(dnsPacket.decode(bytes));
  });
});
