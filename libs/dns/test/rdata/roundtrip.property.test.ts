import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Name,
  RRType,
  WireReader,
  codecFor,
  decodeRdata,
  formatIPv4,
  formatIPv6,
  isMetaType,
  printRdata,
  rdataFromText,
  rdataToWire,
  typeToString,
  type CAARdata,
  type DSRdata,
  type MXRdata,
  type NSEC3Rdata,
  type NSECRdata,
  type OpaqueRdata,
  type RRSIGRdata,
  type SRVRdata,
  type TXTRdata,
} from '../../src/index.js';
import { foldCase } from '../support/rdata-assert.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

// Names of arbitrary octets within the limits. A non-leftmost `*` label is
// valid on the wire but refused by Name.parse on purpose, so it is left out.
const label = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 63 }),
  fc
    .constantFrom('www', 'Mail', '_sip', '_tcp', '*', '@', 'a.b', 'x y', '\\', '"', ';')
    .map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0))),
);
const arbName = fc
  .array(label, { maxLength: 6 })
  .filter((ls) => ls.reduce((n, l) => n + l.length + 1, 1) <= 255)
  .filter((ls) => !ls.slice(1).some((l) => l.length === 1 && l[0] === 0x2a))
  .map((ls) => Name.fromLabels(ls));

const typeCode = fc.oneof(u16, fc.constantFrom(...[1, 2, 5, 6, 15, 16, 28, 33, 46, 47, 48, 50, 257, 65535]));
const typeSet = fc.uniqueArray(typeCode, { maxLength: 20 }).map((ts) => [...ts].sort((a, b) => a - b));
const digestFor = (digestType: number) =>
  fc.uint8Array({
    minLength: { 1: 20, 2: 32, 3: 32, 4: 48 }[digestType] ?? 1,
    maxLength: { 1: 20, 2: 32, 3: 32, 4: 48 }[digestType] ?? 64,
  });

/** Arbitrary RDATA values per type, as the codecs hold them. */
const generators: [string, number, fc.Arbitrary<unknown>][] = [
  ['A', RRType.A, fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => ({ address: formatIPv4(b) }))],
  [
    'AAAA',
    RRType.AAAA,
    fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => ({ address: formatIPv6(b) })),
  ],
  ['MX', RRType.MX, fc.record({ preference: u16, exchange: arbName }) satisfies fc.Arbitrary<MXRdata>],
  [
    'TXT',
    RRType.TXT,
    fc.record({
      strings: fc.array(fc.uint8Array({ maxLength: 255 }), { minLength: 1, maxLength: 5 }),
    }) satisfies fc.Arbitrary<TXTRdata>,
  ],
  [
    'SRV',
    RRType.SRV,
    fc.record({ priority: u16, weight: u16, port: u16, target: arbName }) satisfies fc.Arbitrary<SRVRdata>,
  ],
  [
    'CAA',
    RRType.CAA,
    fc.record({
      flags: u8,
      tag: fc.stringMatching(/^[A-Za-z0-9]{1,15}$/),
      value: fc.uint8Array({ maxLength: 300 }),
    }) satisfies fc.Arbitrary<CAARdata>,
  ],
  [
    'DS',
    RRType.DS,
    fc
      // Digest type 0 is reserved (rejected; tested in dnssec.test.ts).
      .tuple(u16, u8, fc.oneof(fc.constantFrom(1, 2, 3, 4), fc.integer({ min: 1, max: 255 })))
      .chain(([keyTag, algorithm, digestType]) =>
        digestFor(digestType).map((digest): DSRdata => ({ keyTag, algorithm, digestType, digest })),
      ),
  ],
  ['NSEC', RRType.NSEC, fc.record({ next: arbName, types: typeSet }) satisfies fc.Arbitrary<NSECRdata>],
  [
    'NSEC3',
    RRType.NSEC3,
    fc.record({
      hashAlgorithm: u8,
      flags: u8,
      iterations: u16,
      salt: fc.uint8Array({ maxLength: 255 }),
      nextHashed: fc.uint8Array({ minLength: 1, maxLength: 255 }),
      types: typeSet,
    }) satisfies fc.Arbitrary<NSEC3Rdata>,
  ],
  [
    'RRSIG',
    RRType.RRSIG,
    fc.record({
      typeCovered: typeCode,
      algorithm: u8,
      labels: u8,
      originalTtl: u32,
      expiration: u32,
      inception: u32,
      keyTag: u16,
      signerName: arbName,
      signature: fc.uint8Array({ minLength: 1, maxLength: 128 }),
    }) satisfies fc.Arbitrary<RRSIGRdata>,
  ],
];

/** Type codes with no codec (RFC 3597 generic RDATA only), meta-types excluded. */
const unknownType = fc
  .oneof(u16, fc.integer({ min: 65280, max: 65534 }))
  .filter((t) => codecFor(t) === undefined && !isMetaType(t));
const opaque = fc.record({ bytes: fc.uint8Array({ maxLength: 300 }) }) satisfies fc.Arbitrary<OpaqueRdata>;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const origins = fc.constantFrom(Name.ROOT, Name.parse('example.'), Name.parse('www.example.'));

function checkRoundTrips(type: number, value: unknown, origin: Name): void {
  const wire = rdataToWire(type, value);

  // value -> presentation -> parse -> wire equals value -> wire
  const text = printRdata(type, value);
  expect(hex(rdataToWire(type, rdataFromText(type, text))), text).toBe(hex(wire));

  // ... also relative to an origin (the origin part then takes the origin's letter case)
  const relative = printRdata(type, value, { origin });
  expect(foldCase(rdataToWire(type, rdataFromText(type, relative, { origin }))), relative).toBe(
    foldCase(wire),
  );

  // value -> wire -> decode -> wire is stable, and prints the same
  const decoded = decodeRdata(type, new WireReader(wire), wire.length);
  expect(hex(rdataToWire(type, decoded))).toBe(hex(wire));
  expect(printRdata(type, decoded)).toBe(text);

  // The canonical form decodes and is itself stable
  const canonical = rdataToWire(type, value, true);
  const again = decodeRdata(type, new WireReader(canonical), canonical.length);
  expect(hex(rdataToWire(type, again, true))).toBe(hex(canonical));

  // The generic form reads back as the same RDATA (RFC 3597 §5)
  const generic = `\\# ${wire.length} ${hex(wire)}`;
  expect(hex(rdataToWire(type, rdataFromText(type, generic)))).toBe(hex(wire));
}

describe('RDATA round trips (property)', () => {
  it.each(generators)('%s: presentation and wire round trips agree', (_mnemonic, type, gen) => {
    fc.assert(
      fc.property(gen, origins, (value, origin) => checkRoundTrips(type, value, origin)),
      { numRuns: 300 },
    );
  });

  it('unknown types: generic presentation and wire round trips agree', () => {
    fc.assert(
      fc.property(unknownType, opaque, origins, (type, value, origin) => {
        expect(printRdata(type, value)).toMatch(/^\\# [0-9]+( [0-9A-F]+)?$/);
        expect(typeToString(type)).toMatch(/^(TYPE[0-9]+|[A-Z0-9]+)$/);
        checkRoundTrips(type, value, origin);
      }),
      { numRuns: 300 },
    );
  });

  it('NSEC type bitmaps decode to exactly the type set that was encoded', () => {
    fc.assert(
      fc.property(typeSet, (types) => {
        const wire = rdataToWire(RRType.NSEC, { next: Name.ROOT, types });
        const back = decodeRdata(RRType.NSEC, new WireReader(wire), wire.length) as NSECRdata;
        expect(back.types).toEqual(types);
        // One window block per distinct high octet, each as short as its highest type allows.
        const windows = new Set(types.map((t) => t >> 8));
        const expectedLength =
          1 +
          [...windows].reduce(
            (n, w) => n + 2 + ((Math.max(...types.filter((t) => t >> 8 === w)) & 0xff) >> 3) + 1,
            0,
          );
        expect(wire.length).toBe(expectedLength);
      }),
      { numRuns: 500 },
    );
  });
});
