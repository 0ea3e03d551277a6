import { describe, expect, it } from 'vitest';
import {
  base32HexDecode,
  base32HexEncode,
  base64Decode,
  base64Encode,
  hexDecode,
  hexEncode,
} from '../../src/index.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

describe('hex (RFC 4648 §8)', () => {
  it('encodes in upper case and decodes either case', () => {
    expect(hexEncode(Uint8Array.of(0x00, 0xab, 0xff))).toBe('00ABFF');
    expect(hexDecode('00abFF')).toEqual(Uint8Array.of(0x00, 0xab, 0xff));
    expect(hexDecode('')).toEqual(new Uint8Array(0));
  });

  it('encodes a subarray view without its neighbours', () => {
    const backing = Uint8Array.of(1, 2, 3, 4);
    expect(hexEncode(backing.subarray(1, 3))).toBe('0203');
  });

  it('rejects odd lengths and non-hex characters', () => {
    for (const t of ['a', 'abc', 'zz', '0g', '00 11', '0x00', '-1']) expect(hexDecode(t), t).toBeUndefined();
  });
});

describe('base64 (RFC 4648 §4)', () => {
  // RFC 4648 §10 test vectors.
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];

  it('matches the RFC 4648 test vectors both ways', () => {
    for (const [plain, enc] of vectors) {
      expect(base64Encode(utf8(plain))).toBe(enc);
      expect(text(base64Decode(enc))).toBe(plain);
    }
  });

  it('round-trips every octet value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64Decode(base64Encode(all))).toEqual(all);
    expect(base64Encode(Uint8Array.of(0xfb, 0xff))).toBe('+/8=');
  });

  it('rejects missing padding, bad characters and misplaced padding', () => {
    for (const t of ['Zg', 'Zm9', 'Zg=', 'Z===', '=Zm9', 'Zm=v', 'Zm9v!A==', 'Zm9v-_==', 'Zm 9v'])
      expect(base64Decode(t), t).toBeUndefined();
  });

  it('rejects non-zero padding bits, which would not print back the same', () => {
    expect(base64Decode('AA==')).toEqual(Uint8Array.of(0));
    expect(base64Decode('AB==')).toBeUndefined();
    expect(base64Decode('AAB=')).toBeUndefined();
  });
});

describe('base32hex (RFC 4648 §7), unpadded as NSEC3 writes it', () => {
  // RFC 4648 §10 base32hex test vectors, padding removed (RFC 5155 §3.3).
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'CO'],
    ['fo', 'CPNG'],
    ['foo', 'CPNMU'],
    ['foob', 'CPNMUOG'],
    ['fooba', 'CPNMUOJ1'],
    ['foobar', 'CPNMUOJ1E8'],
  ];

  it('matches the RFC 4648 test vectors both ways', () => {
    for (const [plain, enc] of vectors) {
      expect(base32HexEncode(utf8(plain))).toBe(enc);
      expect(text(base32HexDecode(enc))).toBe(plain);
    }
  });

  it('accepts lower case and padded input', () => {
    expect(text(base32HexDecode('cpnmuog'))).toBe('foob');
    expect(text(base32HexDecode('CPNMUOG='))).toBe('foob');
    expect(text(base32HexDecode('CO======'))).toBe('f');
  });

  it('round-trips a SHA-1 sized hash', () => {
    const h = Uint8Array.from({ length: 20 }, (_, i) => i * 13);
    const enc = base32HexEncode(h);
    expect(enc).toHaveLength(32);
    expect(base32HexDecode(enc)).toEqual(h);
  });

  it('rejects characters outside the base32hex alphabet', () => {
    for (const t of ['W0', 'CPNZ', 'CP-G', 'CP G', 'CPNMUO=G']) expect(base32HexDecode(t), t).toBeUndefined();
  });

  it('rejects lengths no octet string encodes to', () => {
    for (const t of ['C', 'CPN', 'CPNMUO']) expect(base32HexDecode(t), t).toBeUndefined();
  });

  it('rejects non-zero padding bits', () => {
    // 'CP' is 'f' with the low two bits of the last character set.
    expect(base32HexDecode('CP')).toBeUndefined();
    expect(base32HexDecode('CPNH')).toBeUndefined();
  });
});
