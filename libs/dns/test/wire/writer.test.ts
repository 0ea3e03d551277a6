import { describe, expect, it } from 'vitest';
import {
  Name,
  RRType,
  WireReader,
  WireWriter,
  decodeRecord,
  encodeRecord,
  rdataFromText,
  rdataToWire,
  recordToString,
  type ResourceRecord,
} from '../../src/index.js';
import { expectDnsError, hex, name } from '../support/rdata-assert.js';

function rr(owner: string, type: number, text: string, ttl = 300): ResourceRecord {
  return { name: name(owner), type, class: 1, ttl, data: rdataFromText(type, text) };
}

describe('WireWriter: integers and octets', () => {
  it('writes big-endian integers', () => {
    const w = new WireWriter();
    w.u8(0xab).u16(0x1234).u32(0xdeadbeef).bytes(Uint8Array.of(1, 2));
    expect(hex(w.finish())).toBe('ab1234deadbeef0102');
    expect(w.length).toBe(9);
  });

  it('grows past its initial size', () => {
    const w = new WireWriter({ initialSize: 1 });
    for (let i = 0; i < 1000; i++) w.u16(i);
    w.bytes(new Uint8Array(5000).fill(7));
    const out = w.finish();
    expect(out.length).toBe(7000);
    expect(new WireReader(out, 2 * 999).u16()).toBe(999);
    expect(out[6999]).toBe(7);
  });

  it('patches a 16-bit value written earlier', () => {
    const w = new WireWriter();
    w.u16(0).u8(9);
    w.patchU16(0, 0xbeef);
    expect(hex(w.finish())).toBe('beef09');
  });

  it('refuses values that do not fit their field, instead of wrapping them into other octets', () => {
    const w = new WireWriter();
    expectDnsError(() => w.u8(256), 'wire.value', /256 as an 8-bit integer/);
    expectDnsError(() => w.u16(70_000), 'wire.value', /70000 as a 16-bit integer/);
    expectDnsError(() => w.u16(-1), 'wire.value');
    expectDnsError(() => w.u16(1.5), 'wire.value');
    expectDnsError(() => w.u32(2 ** 32), 'wire.value');
    expectDnsError(() => w.u32(undefined as unknown as number), 'wire.value');
    expectDnsError(() => w.bytes('abc' as unknown as Uint8Array), 'wire.value', /as octets/);
    expectDnsError(() => w.name('example.' as unknown as Name), 'wire.value', /as a domain name/);
    expect(w.length).toBe(0);
    w.u8(255).u16(0xffff).u32(0xffffffff);
    expect(hex(w.finish())).toBe('ffffffffffffff');
  });

  it('returns a copy from finish()', () => {
    const w = new WireWriter();
    w.u8(1);
    const a = w.finish();
    w.u8(2);
    expect(hex(a)).toBe('01');
    expect(hex(w.finish())).toBe('0102');
  });
});

describe('WireWriter.name', () => {
  it('writes the uncompressed wire form when compression is off', () => {
    const w = new WireWriter();
    w.name(name('www.Example.com.'), { compress: true });
    w.name(name('www.example.com.'), { compress: true });
    expect(hex(w.finish())).toBe('03777777074578616d706c6503636f6d00' + '03777777076578616d706c6503636f6d00');
  });

  it('writes the canonical lowercase form with lower', () => {
    const w = new WireWriter();
    w.name(name('WWW.Example.'), { lower: true });
    expect(hex(w.finish())).toBe('03777777076578616d706c6500');
  });

  it('reuses an earlier suffix through a pointer', () => {
    const w = new WireWriter({ compression: true });
    w.name(name('www.example.com.'), { compress: true });
    w.name(name('mail.example.com.'), { compress: true });
    // mail then a pointer to offset 4, where 'example.com' starts.
    expect(hex(w.finish())).toBe('03777777076578616d706c6503636f6d00' + '046d61696c' + 'c004');
  });

  it('matches suffixes case-insensitively', () => {
    const w = new WireWriter({ compression: true });
    w.name(name('www.example.com.'), { compress: true });
    w.name(name('MAIL.EXAMPLE.COM.'), { compress: true });
    w.name(name('WWW.EXAMPLE.COM.'), { compress: true });
    const out = w.finish();
    expect(hex(out.subarray(17))).toBe('044d41494c' + 'c004' + 'c000');
    const r = new WireReader(out, 17);
    expect(r.name().equals(name('mail.example.com.'))).toBe(true);
    expect(r.name().toString()).toBe('www.example.com.');
  });

  it('writes the whole name as one pointer when it was written before', () => {
    const w = new WireWriter({ compression: true });
    w.u8(0xff);
    w.name(name('example.'), { compress: true });
    w.name(name('example.'), { compress: true });
    expect(hex(w.finish())).toBe('ff' + '076578616d706c6500' + 'c001');
  });

  it('does not compress a name written without compress, but lets later names point into it', () => {
    const w = new WireWriter({ compression: true });
    w.name(name('example.'), { compress: true });
    w.name(name('a.example.'));
    w.name(name('b.a.example.'), { compress: true });
    const out = w.finish();
    expect(hex(out)).toBe('076578616d706c6500' + '0161076578616d706c6500' + '0162c009');
    const r = new WireReader(out, 9);
    expect(r.name().toString()).toBe('a.example.');
    expect(r.name().toString()).toBe('b.a.example.');
  });

  it('never writes the root as a pointer', () => {
    const w = new WireWriter({ compression: true });
    w.name(Name.ROOT, { compress: true });
    w.name(Name.ROOT, { compress: true });
    expect(hex(w.finish())).toBe('0000');
  });

  it('does not point at offsets beyond 0x3fff', () => {
    const w = new WireWriter({ compression: true });
    w.bytes(new Uint8Array(0x3ffe));
    w.name(name('a.example.'), { compress: true }); // 'a.example' at 0x3ffe, 'example' at 0x4000
    w.name(name('b.example.'), { compress: true });
    w.name(name('a.example.'), { compress: true });
    const out = w.finish();
    expect(hex(out.subarray(0x3ffe + 11))).toBe('0162076578616d706c6500' + 'fffe');
    const r = new WireReader(out, 0x3ffe + 11);
    expect(r.name().toString()).toBe('b.example.');
    expect(r.name().toString()).toBe('a.example.');
  });
});

describe('encodeRecord', () => {
  function message(records: ResourceRecord[], canonical = false): Uint8Array {
    const w = new WireWriter({ compression: !canonical });
    for (const r of records) encodeRecord(r, w, { canonical });
    return w.finish();
  }

  it('writes owner, type, class, TTL, RDLENGTH and RDATA', () => {
    const out = message([rr('example.', RRType.A, '192.0.2.1', 3600)]);
    expect(hex(out)).toBe('076578616d706c6500' + '0001' + '0001' + '00000e10' + '0004' + 'c0000201');
  });

  it('compresses owners and the names of RFC 1035 types, and decodes back', () => {
    const records = [
      rr('example.com.', RRType.SOA, 'ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300'),
      rr('example.com.', RRType.NS, 'ns1.example.com.'),
      rr('example.com.', RRType.MX, '10 mail.example.com.'),
      rr('www.example.com.', RRType.CNAME, 'example.com.'),
      rr('1.2.0.192.in-addr.arpa.', RRType.PTR, 'www.example.com.'),
    ];
    const out = message(records);
    const uncompressed = records.reduce((n, r) => n + message([r], true).length, 0);
    expect(out.length).toBeLessThan(uncompressed);
    const r = new WireReader(out);
    for (const expected of records) expect(recordToString(decodeRecord(r))).toBe(recordToString(expected));
    expect(r.remaining).toBe(0);
    // The MX exchange is written as 'mail' plus a pointer.
    expect(hex(out)).toContain('000a046d61696cc0');
  });

  it('does not compress names in types defined after RFC 1035 (RFC 3597 §4)', () => {
    const records = [
      rr('example.com.', RRType.A, '192.0.2.1'),
      rr('_sip._tcp.example.com.', RRType.SRV, '0 5 5060 sip.example.com.'),
      rr('d.example.com.', RRType.DNAME, 'example.com.'),
      rr('example.com.', RRType.NSEC, 'www.example.com. A NSEC'),
      rr('example.com.', RRType.RRSIG, 'A 13 2 300 20240101000000 20231201000000 1234 example.com. AAAA'),
    ];
    const out = message(records);
    const r = new WireReader(out);
    decodeRecord(r);
    for (const expected of records.slice(1)) {
      const start = r.pos;
      const got = decodeRecord(r);
      expect(recordToString(got)).toBe(recordToString(expected));
      // RDATA: the last RDLENGTH octets of the record, which must hold no pointer octet 0xc0 followed by an offset.
      const rdata = rdataOf(out, start);
      const uncompressed = message([{ ...expected, name: Name.ROOT }], true);
      expect(hex(rdata)).toBe(hex(uncompressed.subarray(11)));
    }
  });

  it('writes the canonical form: lowercase owner and RDATA names, no compression (RFC 4034 §6.2)', () => {
    const records = [
      rr('WWW.Example.', RRType.MX, '10 MAIL.Example.'),
      rr('WWW.Example.', RRType.RRSIG, 'A 13 2 300 20240101000000 20231201000000 1234 EXAMPLE. AAAA'),
      rr('WWW.Example.', RRType.SRV, '0 0 1 SIP.Example.'),
    ];
    const out = message(records, true);
    const owner = '03777777076578616d706c6500';
    const mx = owner + '000f0001' + '0000012c' + '0010' + '000a' + '046d61696c076578616d706c6500';
    expect(hex(out.subarray(0, mx.length / 2))).toBe(mx);
    // Nothing was compressed: each record is as long as its parts written out in full.
    const full = records.reduce(
      (n, r) => n + r.name.wire.length + 10 + rdataToWire(r.type, r.data, true).length,
      0,
    );
    expect(out.length).toBe(full);
    expect(String.fromCharCode(...out)).not.toMatch(/[A-Z]/);
    const r = new WireReader(out);
    expect(recordToString(decodeRecord(r))).toBe('www.example. 300 IN MX 10 mail.example.');
    expect(recordToString(decodeRecord(r))).toBe(
      'www.example. 300 IN RRSIG A 13 2 300 20240101000000 20231201000000 1234 example. AAAA',
    );
    expect(recordToString(decodeRecord(r))).toBe('www.example. 300 IN SRV 0 0 1 sip.example.');
  });

  it("keeps the case of NSEC's next name in canonical form (RFC 6840 §5.1)", () => {
    const out = message([rr('A.Example.', RRType.NSEC, 'B.Example. A')], true);
    const got = decodeRecord(new WireReader(out));
    expect(got.name.toString()).toBe('a.example.');
    expect(recordToString(got)).toBe('a.example. 300 IN NSEC B.Example. A');
  });
});

/** The RDATA of the record starting at `at` (the reader has already checked it). */
function rdataOf(msg: Uint8Array, at: number): Uint8Array {
  const r = new WireReader(msg, at);
  r.name();
  r.u16();
  r.u16();
  r.u32();
  const len = r.u16();
  return msg.subarray(r.pos, r.pos + len);
}
