import { describe, expect, it } from 'vitest';
import { DnsError, Name, RRType, WireError, WireReader, decodeRecord, printRdata } from '../../src/index.js';
import { expectWireError, fromHex, hex, thrown } from '../support/rdata-assert.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
/** Uncompressed wire form of a dotted ASCII name. */
const wireName = (s: string) => [
  ...s
    .split('.')
    .filter(Boolean)
    .flatMap((l) => [l.length, ...ascii(l)]),
  0,
];
const label63 = (c: string) => [63, ...ascii(c.repeat(63))];

describe('WireReader: integers and octets', () => {
  it('reads big-endian integers and advances', () => {
    const r = new WireReader(bytes(0x01, 0x02, 0x03, 0xfe, 0xdc, 0xba, 0x98, 0xff));
    expect(r.u8()).toBe(1);
    expect(r.u16()).toBe(0x0203);
    expect(r.u32()).toBe(0xfedcba98);
    expect(r.remaining).toBe(1);
    expect(r.pos).toBe(7);
    expect(r.u8()).toBe(0xff);
    expect(r.remaining).toBe(0);
  });

  it('starts at the given offset', () => {
    const r = new WireReader(bytes(9, 9, 0x12, 0x34), 2);
    expect(r.u16()).toBe(0x1234);
  });

  it('honours the byteOffset of a subarray view', () => {
    const backing = bytes(0xaa, 0xbb, 0x12, 0x34, 0x56, 0x78);
    const r = new WireReader(backing.subarray(2));
    expect(r.u32()).toBe(0x12345678);
  });

  it('returns a copy from bytes()', () => {
    const buf = bytes(1, 2, 3);
    const got = new WireReader(buf).bytes(2);
    expect([...got]).toEqual([1, 2]);
    buf[0] = 9;
    expect(got[0]).toBe(1);
  });

  it('rejects reads past the end with a WireError naming what was read', () => {
    expectWireError(
      () => new WireReader(bytes()).u8('flags'),
      /truncated flags: need 1 octet\(s\) at offset 0, have 0/,
    );
    expectWireError(() => new WireReader(bytes(1)).u16('port'), /truncated port/);
    expectWireError(() => new WireReader(bytes(1, 2, 3)).u32(), /truncated u32/);
    expectWireError(() => new WireReader(bytes(1, 2, 3)).bytes(4, 'digest'), /truncated digest/);
  });

  it('does not advance on a failed read', () => {
    const r = new WireReader(bytes(1));
    expect(() => r.u16()).toThrow(WireError);
    expect(r.pos).toBe(0);
    expect(r.u8()).toBe(1);
  });
});

describe('WireReader.name: uncompressed names', () => {
  it('reads a name and stops after its root label', () => {
    const r = new WireReader(Uint8Array.from([...wireName('www.Example.com'), 0xab]));
    const n = r.name();
    expect(n.toString()).toBe('www.Example.com.');
    expect(r.pos).toBe(17);
    expect(r.u8()).toBe(0xab);
  });

  it('reads the root', () => {
    const r = new WireReader(bytes(0));
    expect(r.name().isRoot).toBe(true);
    expect(r.pos).toBe(1);
  });

  it('accepts 63-octet labels and a 255-octet name', () => {
    const w = [...label63('a'), ...label63('b'), ...label63('c'), 61, ...ascii('d'.repeat(61)), 0];
    expect(w.length).toBe(255);
    const n = new WireReader(Uint8Array.from(w)).name();
    expect(n.wire.length).toBe(255);
  });

  it('rejects a 256-octet name', () => {
    const w = [...label63('a'), ...label63('b'), ...label63('c'), 62, ...ascii('d'.repeat(62)), 0];
    expectWireError(() => new WireReader(Uint8Array.from(w)).name(), /longer than 255 octets/);
  });

  it('rejects truncated labels and a missing root label', () => {
    expectWireError(
      () => new WireReader(bytes(5, 0x61, 0x62)).name('target'),
      /truncated label in target at offset 0/,
    );
    expectWireError(
      () => new WireReader(Uint8Array.from(ascii('\x03abc'))).name(),
      /truncated name at offset 4/,
    );
    expectWireError(() => new WireReader(bytes()).name(), /truncated name/);
  });

  it('rejects the extended (0x40) and reserved (0x80) label types', () => {
    expectWireError(() => new WireReader(bytes(0x41, 0, 0)).name(), /unsupported label type 0x40/);
    expectWireError(() => new WireReader(bytes(0x80, 0)).name(), /unsupported label type 0x80/);
    expectWireError(
      () => new WireReader(bytes(1, 0x61, 0xbf, 0)).name(),
      /unsupported label type 0x80 in name at offset 2/,
    );
  });
});

describe('WireReader.name: compression (RFC 1035 §4.1.4)', () => {
  // example.com at 0, www.<pointer to 0> at 13, mail.<pointer to www...> at 19.
  const msg = Uint8Array.from([
    ...wireName('example.com'),
    3,
    ...ascii('www'),
    0xc0,
    0x00,
    4,
    ...ascii('mail'),
    0xc0,
    13,
  ]);

  it('follows a pointer to an earlier suffix', () => {
    const r = new WireReader(msg, 13);
    expect(r.name().toString()).toBe('www.example.com.');
    expect(r.pos).toBe(19); // just after the two-octet pointer
  });

  it('follows chains of backward pointers', () => {
    const r = new WireReader(msg, 19);
    expect(r.name().toString()).toBe('mail.www.example.com.');
    expect(r.pos).toBe(msg.length);
  });

  it('reads a name that is only a pointer', () => {
    const m = Uint8Array.from([...wireName('example'), 0xc0, 0x00]);
    const r = new WireReader(m, 9);
    expect(r.name().toString()).toBe('example.');
    expect(r.pos).toBe(11);
  });

  it('accepts a pointer into the middle of an earlier name', () => {
    const m = Uint8Array.from([...wireName('www.example'), 0xc0, 0x04]);
    expect(new WireReader(m, 13).name().toString()).toBe('example.');
  });

  it('rejects a forward pointer', () => {
    const m = bytes(0xc0, 0x02, 0x00);
    expectWireError(() => new WireReader(m).name(), /does not point backwards/);
  });

  it('rejects a pointer to itself', () => {
    const m = bytes(0, 0xc0, 0x01);
    expectWireError(() => new WireReader(m, 1).name(), /does not point backwards/);
  });

  it('rejects a pointer loop', () => {
    // At 2: pointer to 0; at 0: pointer back to 2.
    const m = bytes(0xc0, 0x02, 0xc0, 0x00);
    expectWireError(() => new WireReader(m, 2).name(), /does not point backwards/);
    // A loop through labels: at 0 'a' then pointer to 0.
    const m2 = bytes(1, 0x61, 0xc0, 0x00);
    expectWireError(() => new WireReader(m2).name(), /does not point backwards/);
  });

  it('rejects a pointer into the name being read', () => {
    // Name starts at 3: label 'b' at 3, then a pointer to 3 (its own start).
    const m = bytes(1, 0x61, 0, 1, 0x62, 0xc0, 0x03);
    expectWireError(() => new WireReader(m, 3).name(), /does not point backwards/);
  });

  it('rejects a pointer past the end of the message', () => {
    const m = bytes(0, 0xc0, 0xff);
    expectWireError(
      () => new WireReader(m, 1).name(),
      /compression pointer in name at offset 1 does not point backwards/,
    );
    const far = bytes(0, 0xff, 0xff);
    expectWireError(() => new WireReader(far, 1).name(), /pointer/);
  });

  it('rejects a compression pointer cut short by the end of the message', () => {
    expectWireError(() => new WireReader(bytes(1, 0x61, 0xc0)).name(), /truncated compression pointer/);
  });

  it('rejects a name longer than 255 octets once pointers are expanded', () => {
    // 129 octets at 0; at 129 two more 63-octet labels then a pointer to 0: 64 + 64 + 129 = 257.
    const first = [...label63('a'), ...label63('b'), 0];
    const m = Uint8Array.from([...first, ...label63('c'), ...label63('d'), 0xc0, 0x00]);
    expectWireError(() => new WireReader(m, 129).name(), /longer than 255 octets/);
    // The same with one label shortened to 61 octets is exactly 255.
    const ok = Uint8Array.from([...first, ...label63('c'), 61, ...ascii('d'.repeat(61)), 0xc0, 0x00]);
    expect(new WireReader(ok, 129).name().wire.length).toBe(255);
  });

  it('reports every failure as a WireError, which is a DnsError with code "wire"', () => {
    const bad = [bytes(), bytes(3, 0x61), bytes(0xc0), bytes(0xc0, 0x00), bytes(0x40), bytes(0x80, 0)];
    for (const b of bad) {
      const e = thrown(() => new WireReader(b).name());
      expect(e).toBeInstanceOf(WireError);
      expect(e).toBeInstanceOf(DnsError);
      expect((e as DnsError).code).toBe('wire');
      expect((e as Error).name).toBe('WireError');
    }
  });
});

describe('decodeRecord', () => {
  it('decodes a record whose owner and RDATA use compression', () => {
    // owner example.com at 0; then an MX RR owned by a pointer to 0 with exchange mail.<pointer>.
    const m = fromHex(
      '076578616d706c6503636f6d00' + // example.com.
        'c000' + // owner: pointer to 0
        '000f' + // MX
        '0001' + // IN
        '00000e10' + // TTL 3600
        '0009' + // RDLENGTH
        '000a' + // preference 10
        '046d61696cc000', // mail.<ptr>
    );
    const r = new WireReader(m, 13);
    const rr = decodeRecord(r);
    expect(rr.name.toString()).toBe('example.com.');
    expect(rr.type).toBe(RRType.MX);
    expect(rr.class).toBe(1);
    expect(rr.ttl).toBe(3600);
    expect(printRdata(rr.type, rr.data)).toBe('10 mail.example.com.');
    expect(r.remaining).toBe(0);
  });

  it('refuses pointers in RDATA names that may not be compressed (RFC 3597 §4, RFC 4034 §3.1.7, §4.1.1)', () => {
    // example.com. at 0, then one record owned by a pointer to it whose RDATA points at it too.
    const record = (type: number, rdata: string) => {
      const m = fromHex(
        '076578616d706c6503636f6d00' +
          'c000' +
          type.toString(16).padStart(4, '0') +
          '0001' +
          '00000e10' +
          (rdata.length / 2).toString(16).padStart(4, '0') +
          rdata,
      );
      return () => decodeRecord(new WireReader(m, 13));
    };
    const ptr = 'c000';
    const cases: [number, string, string][] = [
      [RRType.SRV, '000a00050050' + ptr, 'target'],
      [RRType.NAPTR, '000a0014' + '0153' + '00' + '00' + ptr, 'replacement'],
      [RRType.DNAME, ptr, 'target'],
      [RRType.NSEC, ptr + '000140', 'next'],
      [
        RRType.RRSIG,
        '0001' + '0d' + '02' + '00000e10' + '00000002' + '00000001' + '1234' + ptr + 'abcd',
        'signerName',
      ],
    ];
    for (const [type, rdata, field] of cases)
      expectWireError(record(type, rdata), new RegExp(`${field} at offset \\d+ is compressed`));
    // The RFC 1035 types may be compressed.
    expect(printRdata(RRType.NS, record(RRType.NS, ptr)().data)).toBe('example.com.');
    expect(printRdata(RRType.CNAME, record(RRType.CNAME, ptr)().data)).toBe('example.com.');
    expect(printRdata(RRType.PTR, record(RRType.PTR, ptr)().data)).toBe('example.com.');
    expect(printRdata(RRType.MX, record(RRType.MX, '0001' + ptr)().data)).toBe('1 example.com.');
  });

  it('a reader made without compression refuses every pointer', () => {
    const m = Uint8Array.from([...wireName('example.com'), 3, ...ascii('www'), 0xc0, 0x00]);
    expect(new WireReader(m, 13).name().toString()).toBe('www.example.com.');
    expectWireError(
      () => new WireReader(m, 13, { compression: false }).name('exchange'),
      /exchange at offset 13 is compressed/,
    );
  });

  it('rejects an RDLENGTH that overruns the message', () => {
    const m = fromHex('00' + '0001' + '0001' + '00000000' + '0005' + '01020304');
    expectWireError(() => decodeRecord(new WireReader(m)), /RDLENGTH 5 overruns the message \(4 left\)/);
  });

  it('rejects a record cut off in its fixed fields', () => {
    expectWireError(() => decodeRecord(new WireReader(fromHex('00000100'))), /truncated class/);
    expectWireError(() => decodeRecord(new WireReader(fromHex('0000010001000000'))), /truncated ttl/);
  });

  it('keeps unknown types as opaque octets', () => {
    const m = fromHex('00' + 'ff00' + '0001' + '0000012c' + '0003' + 'abcdef');
    const rr = decodeRecord(new WireReader(m));
    expect(rr.type).toBe(0xff00);
    expect(hex((rr.data as { bytes: Uint8Array }).bytes)).toBe('abcdef');
    expect(printRdata(rr.type, rr.data)).toBe('\\# 3 ABCDEF');
  });

  it('returns names with the case they had on the wire', () => {
    const m = Uint8Array.from([...wireName('WwW.ExAmple'), 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 192, 0, 2, 1]);
    const rr = decodeRecord(new WireReader(m));
    expect(rr.name.toString()).toBe('WwW.ExAmple.');
    expect(rr.name.equals(Name.parse('www.example.'))).toBe(true);
  });
});
