import { describe, expect, it } from 'vitest';
import {
  DnsError,
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
  rcodeToString,
  rdataFromText,
  readEdns,
  responseCode,
  type Message,
  type ResourceRecord,
} from '../../src/index.js';
import { expectDnsError, expectWireError, fromHex, hex } from '../support/rdata-assert.js';

const n = (text: string) => Name.parse(text);
const rr = (owner: string, type: number, value: string, ttl = 300): ResourceRecord => ({
  name: n(owner),
  type,
  class: 1,
  ttl,
  data: rdataFromText(type, value),
});

/** The records of a section as master-file-like lines, for readable comparisons. */
const lines = (section: readonly ResourceRecord[]) =>
  section.map((r) => `${r.name.toString()} ${r.ttl} ${r.type} ${printRdata(r.type, r.data)}`);

const referral: Message = {
  id: 0xbeef,
  opcode: Opcode.QUERY,
  rcode: Rcode.NOERROR,
  flags: { ...NO_FLAGS, qr: true },
  questions: [{ name: n('www.child.example.'), type: RRType.A, class: 1 }],
  answers: [],
  authorities: [
    rr('child.example.', RRType.NS, 'ns1.child.example.'),
    rr('child.example.', RRType.NS, 'ns.example.net.'),
  ],
  additionals: [
    rr('ns1.child.example.', RRType.A, '192.0.2.1'),
    rr('ns1.child.example.', RRType.AAAA, '2001:db8::1'),
    ednsRecord({ payloadSize: 1232 }),
  ],
};

describe('makeQuery and the header', () => {
  it('writes the RFC 1035 header, question and an OPT record byte for byte', () => {
    const q = makeQuery(n('Example.COM.'), RRType.NS, {
      id: 0x1234,
      recursionDesired: true,
      edns: { payloadSize: 1232 },
    });
    expect(hex(encodeMessage(q))).toBe(
      '1234' + // id
        '0100' + // RD
        '0001' +
        '0000' +
        '0000' +
        '0001' + // counts
        '074578616d706c6503434f4d00' +
        '0002' +
        '0001' + // Example.COM. NS IN (case kept)
        '00' +
        '0029' +
        '04d0' +
        '00000000' +
        '0000', // OPT: root, payload 1232, no flags, no options
    );
  });

  it('round-trips every flag, opcode and rcode bit', () => {
    const msg: Message = {
      ...makeQuery(n('example.'), RRType.SOA, { id: 7, recursionDesired: false }),
      opcode: Opcode.NOTIFY,
      rcode: Rcode.REFUSED,
      flags: { qr: true, aa: true, tc: true, rd: true, ra: true, ad: true, cd: true },
    };
    const bytes = encodeMessage(msg);
    expect(hex(bytes.subarray(2, 4))).toBe('a7b5');
    const back = decodeMessage(bytes);
    expect(back.flags).toEqual(msg.flags);
    expect(back.opcode).toBe(Opcode.NOTIFY);
    expect(back.rcode).toBe(Rcode.REFUSED);
    for (const bit of ['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'] as const) {
      const one = decodeMessage(encodeMessage({ ...msg, flags: { ...NO_FLAGS, [bit]: true } }));
      expect(Object.entries(one.flags).filter(([, v]) => v)).toEqual([[bit, true]]);
    }
  });

  it('refuses values that do not fit their header fields', () => {
    const q = makeQuery(n('example.'), RRType.A, { id: 1, recursionDesired: true });
    expectDnsError(() => encodeMessage({ ...q, rcode: Rcode.BADVERS }), 'message.rcode', /OPT record/);
    expectDnsError(() => encodeMessage({ ...q, opcode: 16 }), 'message.opcode');
    expect(() => encodeMessage({ ...q, id: 0x10000 })).toThrow(DnsError);
  });

  it('names rcodes', () => {
    expect(rcodeToString(Rcode.NXDOMAIN)).toBe('NXDOMAIN');
    expect(rcodeToString(Rcode.SERVFAIL)).toBe('SERVFAIL');
    expect(rcodeToString(12)).toBe('RCODE12');
  });
});

describe('sections', () => {
  it('round-trips a referral with compression', () => {
    const bytes = encodeMessage(referral);
    const back = decodeMessage(bytes);
    expect(back.id).toBe(0xbeef);
    expect(back.questions[0]!.name.toString()).toBe('www.child.example.');
    expect(lines(back.authorities)).toEqual([
      'child.example. 300 2 ns1.child.example.',
      'child.example. 300 2 ns.example.net.',
    ]);
    expect(lines(back.additionals.slice(0, 2))).toEqual([
      'ns1.child.example. 300 1 192.0.2.1',
      'ns1.child.example. 300 28 2001:db8::1',
    ]);
    expect(readEdns(back)).toEqual({
      payloadSize: 1232,
      extendedRcode: 0,
      version: 0,
      dnssecOk: false,
      options: [],
    });
    // child.example. is written once; later owners and NS targets point at it.
    const plain = 12 + 22 + 4 + 2 * (15 + 10 + 20) + (20 + 14) + (20 + 26) + 11;
    expect(bytes.length).toBeLessThan(plain - 40);
    expect(encodeMessage(back)).toEqual(bytes);
  });

  it('keeps the OPT record raw and reads EDNS flags, options and the extended rcode', () => {
    const opt = ednsRecord({
      payloadSize: 4096,
      extendedRcode: 1,
      version: 0,
      dnssecOk: true,
      options: [{ code: 10, data: fromHex('0102030405060708') }],
    });
    const msg: Message = { ...referral, rcode: 0, additionals: [opt] };
    const back = decodeMessage(encodeMessage(msg));
    expect(back.additionals[0]).toMatchObject({ type: RRType.OPT, class: 4096, ttl: 0x01008000 });
    expect(readEdns(back)).toEqual({
      payloadSize: 4096,
      extendedRcode: 1,
      version: 0,
      dnssecOk: true,
      options: [{ code: 10, data: fromHex('0102030405060708') }],
    });
    expect(responseCode(back)).toBe(Rcode.BADVERS);
    expect(readEdns({ additionals: [] })).toBeUndefined();
    expectWireError(() => readEdns({ additionals: [opt, opt] }), /2 OPT records/);
    expectWireError(
      () => readEdns({ additionals: [{ ...opt, name: n('example.') }] }),
      /instead of the root/,
    );
    expectWireError(() => readEdns({ additionals: [{ ...opt, data: { bytes: fromHex('000a0008 0102') } }] }));
  });
});

describe('malformed messages are WireErrors', () => {
  const good = encodeMessage(referral);

  it('a short header', () => {
    expectWireError(() => decodeMessage(good.subarray(0, 11)), /shorter than the 12-octet header/);
  });

  it('counts beyond the data', () => {
    const bad = good.slice();
    bad[7] = 200; // ANCOUNT 200
    expectWireError(() => decodeMessage(bad), /counts QD=1 AN=200 NS=2 AR=3 need at least/);
  });

  it('a truncated record names its section', () => {
    expectWireError(() => decodeMessage(good.subarray(0, good.length - 15)), /^additional record 2: /);
  });

  it('octets after the last record', () => {
    const padded = new Uint8Array(good.length + 2);
    padded.set(good);
    expectWireError(() => decodeMessage(padded), /2 octet\(s\) after the last record/);
  });

  it('a compression pointer that does not point backwards', () => {
    // Header with one question whose name is a pointer to itself.
    expectWireError(
      () => decodeMessage(fromHex('0001 0000 0001 0000 0000 0000 c00c 0001 0001')),
      /backwards/,
    );
  });

  it('RDATA that does not decode as its type', () => {
    // One answer: root A record whose RDLENGTH says 3.
    const bytes = fromHex('0001 8000 0000 0001 0000 0000 00 0001 0001 00000000 0003 010203');
    expectWireError(() => decodeMessage(bytes), /^answer record 1: /);
  });
});
