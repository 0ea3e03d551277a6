// Cross-checks our wire encoding against an independent implementation,
// dns-packet 5.6.1 (CommonJS; vitest hands its module.exports over as the
// default import). dns-packet never compresses names when encoding, so its
// RDATA is directly comparable with our uncompressed rdataToWire; it does
// follow compression pointers when decoding, so our compressed messages are
// decoded by it too.
//
// Where the two disagree, the RFC decides (see the notes in the tests):
// - CAA flags: dns-packet treats 128 as the issuer-critical flag, which is
//   right: RFC 8659 §4.1 numbers bits from the most significant, and bit 0 is
//   the critical flag (the common misreading is the value 1). Both agree.
// - NSEC3 salt: dns-packet writes a salt length octet then the salt and reads
//   it back the same way, as RFC 5155 §3.2 says; an empty salt is a single
//   zero octet. Both agree, for empty and non-empty salts.
// - TXT strings over 255 octets: dns-packet writes the length octet modulo
//   256, producing RDATA that contradicts itself. RFC 1035 §3.3 caps a
//   <character-string> at 255 octets; we split long strings instead (checked
//   below), and reject dns-packet's corrupt RDATA.
// - Names: dns-packet splits presentation names on every dot and ignores
//   escapes, so the cases below use plain host names only.
// - NSEC3PARAM: dns-packet has no codec for it (it falls back to opaque
//   octets); that case is checked against the RFC 5155 §4.2 layout instead.
import dnsPacket, { type Answer } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import {
  Name,
  RRType,
  WireReader,
  WireWriter,
  decodeRecord,
  encodeRecord,
  printRdata,
  rdataToWire,
  typeFromString,
  type ResourceRecord,
} from '../../src/index.js';
import { expectWireError, fromHex, hex, parseText } from '../support/rdata-assert.js';

const OWNER = 'example.com';
const TTL = 3600;

const fp20 = '123456789ABCDEF67890123456789ABCDEF67890';
const fp32 = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90';
const dsDigest = '2BB183AF5F22588179A53B0A98631FAD1A292118';
const keyB64 = 'mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==';
const sigB64 =
  'oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTrPYGv07h108dUKGMeDPKijVCHX3DDKdfb+v6oB9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O3tGNazPwQKkRN20XPXV6nwwfoXmJQbsLNrLfkGJ5D6fwFm8nN+6pBzeDQfsS3Ap3o=';
const nsec3Hash = '2T7B4G4VSA5SMI47K61MV5BV1A22BOJR';
// The hash decoded by an independent base32hex decoder (Python's base64.b32hexdecode).
const nsec3HashBytes = Buffer.from('174eb2409fe28bcb4887a1836f957f0a8425e27b', 'hex');
const b64 = (s: string) => Buffer.from(s, 'base64');
const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 1000;

interface Case {
  /** Our presentation form of the RDATA. */
  text: string;
  /** The same record as dns-packet takes it (and decodes it back). */
  answer: Answer;
}

const at = { name: OWNER, ttl: TTL, class: 'IN' as const };

const cases: Case[] = [
  { text: '192.0.2.1', answer: { ...at, type: 'A', data: '192.0.2.1' } },
  { text: '2001:db8::1', answer: { ...at, type: 'AAAA', data: '2001:db8::1' } },
  { text: '2001:db8:1:2:3:4:5:6', answer: { ...at, type: 'AAAA', data: '2001:db8:1:2:3:4:5:6' } },
  { text: 'ns1.example.com.', answer: { ...at, type: 'NS', data: 'ns1.example.com' } },
  { text: 'target.example.net.', answer: { ...at, type: 'CNAME', data: 'target.example.net' } },
  { text: 'example.net.', answer: { ...at, type: 'DNAME', data: 'example.net' } },
  { text: 'host.example.com.', answer: { ...at, type: 'PTR', data: 'host.example.com' } },
  {
    text: 'ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300',
    answer: {
      ...at,
      type: 'SOA',
      data: {
        mname: 'ns1.example.com',
        rname: 'hostmaster.example.com',
        serial: 2024010101,
        refresh: 7200,
        retry: 3600,
        expire: 1209600,
        minimum: 300,
      },
    },
  },
  {
    text: '10 mail.example.com.',
    answer: { ...at, type: 'MX', data: { preference: 10, exchange: 'mail.example.com' } },
  },
  { text: '0 .', answer: { ...at, type: 'MX', data: { preference: 0, exchange: '.' } } },
  {
    text: '"v=spf1 -all" "second string" ""',
    answer: {
      ...at,
      type: 'TXT',
      data: [Buffer.from('v=spf1 -all'), Buffer.from('second string'), Buffer.alloc(0)],
    },
  },
  { text: '"\\000\\255\\""', answer: { ...at, type: 'TXT', data: [Buffer.from([0, 255, 0x22])] } },
  {
    text: '10 60 5060 sip.example.com.',
    answer: { ...at, type: 'SRV', data: { priority: 10, weight: 60, port: 5060, target: 'sip.example.com' } },
  },
  {
    text: '100 10 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .',
    answer: {
      ...at,
      type: 'NAPTR',
      data: {
        order: 100,
        preference: 10,
        flags: 'u',
        services: 'E2U+sip',
        regexp: '!^.*$!sip:info@example.com!',
        replacement: '.',
      },
    },
  },
  {
    text: '10 0 "S" "SIP+D2U" "" _sip._udp.example.com.',
    answer: {
      ...at,
      type: 'NAPTR',
      data: {
        order: 10,
        preference: 0,
        flags: 'S',
        services: 'SIP+D2U',
        regexp: '',
        replacement: '_sip._udp.example.com',
      },
    },
  },
  {
    text: '0 issue "ca.example.net"',
    answer: {
      ...at,
      type: 'CAA',
      data: { flags: 0, issuerCritical: false, tag: 'issue', value: 'ca.example.net' },
    },
  },
  {
    text: '128 issue "ca.example.net; account=230123"',
    answer: {
      ...at,
      type: 'CAA',
      data: { flags: 128, issuerCritical: true, tag: 'issue', value: 'ca.example.net; account=230123' },
    },
  },
  {
    text: '0 iodef "mailto:security@example.com"',
    answer: {
      ...at,
      type: 'CAA',
      data: { flags: 0, issuerCritical: false, tag: 'iodef', value: 'mailto:security@example.com' },
    },
  },
  {
    text: `2 1 ${fp20}`,
    answer: { ...at, type: 'SSHFP', data: { algorithm: 2, hash: 1, fingerprint: fp20 } },
  },
  {
    text: `4 2 ${fp32}`,
    answer: { ...at, type: 'SSHFP', data: { algorithm: 4, hash: 2, fingerprint: fp32 } },
  },
  {
    text: `3 1 1 ${fp32}`,
    answer: {
      ...at,
      type: 'TLSA',
      data: { usage: 3, selector: 1, matchingType: 1, certificate: Buffer.from(fp32, 'hex') },
    },
  },
  {
    text: `60485 5 1 ${dsDigest}`,
    answer: {
      ...at,
      type: 'DS',
      data: { keyTag: 60485, algorithm: 5, digestType: 1, digest: Buffer.from(dsDigest, 'hex') },
    },
  },
  {
    text: `257 3 13 ${keyB64}`,
    answer: { ...at, type: 'DNSKEY', data: { flags: 257, algorithm: 13, key: b64(keyB64) } },
  },
  {
    text: `A 13 2 3600 20240201000000 20240101000000 12345 example.com. ${sigB64}`,
    answer: {
      ...at,
      type: 'RRSIG',
      data: {
        typeCovered: 'A',
        algorithm: 13,
        labels: 2,
        originalTTL: 3600,
        expiration: utc(2024, 2, 1),
        inception: utc(2024, 1, 1),
        keyTag: 12345,
        signersName: 'example.com',
        signature: b64(sigB64),
      },
    },
  },
  {
    text: 'host.example.com. A MX RRSIG NSEC',
    answer: {
      ...at,
      type: 'NSEC',
      data: { nextDomain: 'host.example.com', rrtypes: ['A', 'MX', 'RRSIG', 'NSEC'] },
    },
  },
  {
    // Two windows: CAA is type 257.
    text: 'www.example.com. A AAAA RRSIG NSEC CAA',
    answer: {
      ...at,
      type: 'NSEC',
      data: { nextDomain: 'www.example.com', rrtypes: ['A', 'AAAA', 'RRSIG', 'NSEC', 'CAA'] },
    },
  },
  {
    text: `1 1 12 AABBCCDD ${nsec3Hash} NS SOA MX RRSIG DNSKEY NSEC3PARAM`,
    answer: {
      ...at,
      type: 'NSEC3',
      data: {
        algorithm: 1,
        flags: 1,
        iterations: 12,
        salt: Buffer.from('aabbccdd', 'hex'),
        nextDomain: nsec3HashBytes,
        rrtypes: ['NS', 'SOA', 'MX', 'RRSIG', 'DNSKEY', 'NSEC3PARAM'],
      },
    },
  },
  {
    text: `1 0 0 - ${nsec3Hash} A RRSIG`,
    answer: {
      ...at,
      type: 'NSEC3',
      data: {
        algorithm: 1,
        flags: 0,
        iterations: 0,
        salt: Buffer.alloc(0),
        nextDomain: nsec3HashBytes,
        rrtypes: ['A', 'RRSIG'],
      },
    },
  },
  { text: '"PC" "Linux"', answer: { ...at, type: 'HINFO', data: { cpu: 'PC', os: 'Linux' } } },
];

/** A response carrying one answer and nothing else: the record starts at offset 12. */
function packetBytes(answer: Answer): Uint8Array {
  return Uint8Array.from(dnsPacket.encode({ type: 'response', id: 0, flags: 0, answers: [answer] }));
}

/** Our message with the same single answer, names compressed. */
function ourMessage(rr: ResourceRecord): Uint8Array {
  const w = new WireWriter({ compression: true });
  w.u16(0).u16(0x8400).u16(0).u16(1).u16(0).u16(0);
  encodeRecord(rr, w);
  return w.finish();
}

/** The RDATA octets of the record at offset `at`. */
function rdataAt(msg: Uint8Array, at = 12): Uint8Array {
  const r = new WireReader(msg, at);
  r.name();
  r.u16();
  r.u16();
  r.u32();
  const len = r.u16();
  return msg.subarray(r.pos, r.pos + len);
}

describe('dns-packet cross-check', () => {
  it('covers every type both implement', () => {
    const covered = new Set(cases.map((c) => c.answer.type));
    for (const t of [
      'A',
      'AAAA',
      'NS',
      'CNAME',
      'DNAME',
      'PTR',
      'SOA',
      'MX',
      'TXT',
      'SRV',
      'NAPTR',
      'CAA',
      'SSHFP',
      'TLSA',
      'DS',
      'DNSKEY',
      'RRSIG',
      'NSEC',
      'NSEC3',
      'HINFO',
    ])
      expect(covered, t).toContain(t);
  });

  describe.each(cases.map((c) => [`${c.answer.type} ${c.text}`, c] as const))(
    '%s',
    (_label, { text, answer }) => {
      const type = typeFromString(answer.type)!;
      const value = parseText(type, text);

      it('has the same RDATA octets as dns-packet', () => {
        expect(hex(rdataToWire(type, value))).toBe(hex(rdataAt(packetBytes(answer))));
      });

      it("decodes dns-packet's record to the same value", () => {
        const r = new WireReader(packetBytes(answer), 12);
        const rr = decodeRecord(r);
        expect(r.remaining).toBe(0);
        expect(rr.name.toString()).toBe(`${OWNER}.`);
        expect([rr.type, rr.class, rr.ttl]).toEqual([type, 1, TTL]);
        expect(printRdata(type, rr.data)).toBe(printRdata(type, value));
      });

      it('is decoded by dns-packet, names compressed, to the same record', () => {
        const msg = ourMessage({ name: Name.parse(`${OWNER}.`), type, class: 1, ttl: TTL, data: value });
        const decoded = dnsPacket.decode(Buffer.from(msg));
        expect(decoded.answers).toHaveLength(1);
        const got = decoded.answers![0]!;
        expect(got).toMatchObject({ name: OWNER, type: answer.type, ttl: TTL, class: 'IN' });
        expect((got as { data: unknown }).data).toEqual((answer as { data: unknown }).data);
        // And dns-packet writes what it read back to our octets.
        expect(hex(rdataAt(packetBytes(got)))).toBe(hex(rdataToWire(type, value)));
      });
    },
  );

  it('compresses names that dns-packet then expands', () => {
    const value = parseText(RRType.MX, '10 mail.example.com.');
    const msg = ourMessage({
      name: Name.parse('example.com.'),
      type: RRType.MX,
      class: 1,
      ttl: TTL,
      data: value,
    });
    // owner (13) + fixed (10) + preference (2) + 'mail' (5) + pointer (2)
    expect(msg.length).toBe(12 + 13 + 10 + 2 + 5 + 2);
    expect(msg.length).toBeLessThan(
      packetBytes({ ...at, type: 'MX', data: { preference: 10, exchange: 'mail.example.com' } }).length,
    );
  });

  it('NSEC3PARAM (no dns-packet codec) matches the RFC 5155 §4.2 layout, and dns-packet carries it opaquely', () => {
    const value = parseText(RRType.NSEC3PARAM, '1 0 12 aabbccdd');
    const expected = '01' + '00' + '000c' + '04' + 'aabbccdd';
    expect(hex(rdataToWire(RRType.NSEC3PARAM, value))).toBe(expected);
    const msg = ourMessage({
      name: Name.parse('example.com.'),
      type: RRType.NSEC3PARAM,
      class: 1,
      ttl: TTL,
      data: value,
    });
    const got = dnsPacket.decode(Buffer.from(msg)).answers![0]! as { type: string; data: Buffer };
    expect(got.type).toBe('NSEC3PARAM');
    expect(hex(got.data)).toBe(expected);
  });

  it('TXT strings over 255 octets: dns-packet writes a wrapped length octet; we split per RFC 1035 §3.3', () => {
    const long = 'x'.repeat(300);
    const theirs = packetBytes({ ...at, type: 'TXT', data: [Buffer.from(long)] });
    const theirRdata = rdataAt(theirs);
    expect(theirRdata[0]).toBe(300 % 256); // the quirk: a 44-octet string followed by 256 stray octets
    expectWireError(
      () => decodeRecord(new WireReader(theirs, 12)),
      /character-string overruns the RDATA|after its last field/,
    );
    const ours = rdataToWire(RRType.TXT, parseText(RRType.TXT, `"${long}"`));
    expect(ours[0]).toBe(255);
    expect(ours[256]).toBe(45);
    // dns-packet reads our split form as two strings of 255 and 45 octets.
    const back = packetBytes({
      ...at,
      type: 'TXT',
      data: [Buffer.from(long.slice(0, 255)), Buffer.from(long.slice(255))],
    });
    expect(hex(rdataAt(back))).toBe(hex(ours));
  });

  it('rejects the same malformed compression pointers dns-packet rejects', () => {
    // A record whose owner is a forward pointer.
    const header = '0000840000000001' + '00000000';
    const forward = fromHex(header + 'c00e' + '0001000100000e10000400000000');
    expect(() => dnsPacket.decode(Buffer.from(forward))).toThrow(/bad pointer/);
    expectWireError(() => decodeRecord(new WireReader(forward, 12)), /does not point backwards/);
  });
});
