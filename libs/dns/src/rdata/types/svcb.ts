import { WireError } from '../../errors.js';
import type { Name } from '../../name/name.js';
import { decodeCharString, quoteCharString } from '../../presentation/escapes.js';
import { atToken, type Token } from '../../presentation/lexer.js';
import { base64Decode, base64Encode } from '../binary.js';
import type { RdataCodec } from '../codec.js';
import { fieldError, name, u16 } from '../fields.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../ip.js';
import { registerRdata } from '../registry.js';
import { RRType } from '../rrtype.js';

/** One SvcParam with its value in wire form (RFC 9460 §2.2). */
export interface SvcParam {
  key: number;
  value: Uint8Array;
}

/**
 * SVCB and HTTPS (RFC 9460 §2). `params` are sorted by key, each key at most
 * once; values stay in wire form, which is the one faithful representation
 * of keys this library does not know.
 */
export interface SVCBRdata {
  priority: number;
  target: Name;
  params: SvcParam[];
}

/** SvcParamKeys with a registered name (RFC 9460 §14.3.2, RFC 9461, RFC 9540). */
export const SvcParamKey = {
  mandatory: 0,
  alpn: 1,
  noDefaultAlpn: 2,
  port: 3,
  ipv4hint: 4,
  ech: 5,
  ipv6hint: 6,
  dohpath: 7,
  ohttp: 8,
} as const;

/** "Invalid key" (RFC 9460 §14.3.2): never allowed in a record. */
const INVALID_KEY = 65535;

const COMMA = 0x2c;
const BACKSLASH = 0x5c;

/** Throws for a key (undefined: the SvcParams as a whole); never returns. */
type Fail = (key: number | undefined, code: string, message: string, rfc: string) => never;

interface KeyFormat {
  name: string;
  rfc: string;
  /** A flag: the value must be empty. */
  empty?: boolean;
  /** Presentation value, after character-string decoding, to wire form. */
  fromText?(text: Uint8Array, fail: (message: string) => never): Uint8Array;
  /** Wire form (already checked) to presentation value text. */
  toText?(wire: Uint8Array): string;
  /** Why a non-empty wire value is malformed, if it is. */
  problem?(wire: Uint8Array): string | undefined;
}

const latin1 = (b: Uint8Array): string => Array.from(b, (c) => String.fromCharCode(c)).join('');

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function chunks(b: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

/** A value as a char-string: bare when that reads back the same, else quoted with escapes. */
function presentValue(b: Uint8Array): string {
  const bare = b.every(
    (c) => c > 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c && c !== 0x3b && c !== 0x28 && c !== 0x29,
  );
  return bare ? latin1(b) : quoteCharString(b);
}

/** Splits a value-list; only `\,` and `\\` are escapes (RFC 9460 Appendix A.1). */
function splitValueList(text: Uint8Array, fail: (message: string) => never): Uint8Array[] {
  const items: number[][] = [[]];
  for (let i = 0; i < text.length; i++) {
    const b = text[i]!;
    const item = items[items.length - 1]!;
    if (b === COMMA) items.push([]);
    else if (b === BACKSLASH) {
      const next = text[i + 1];
      if (next !== COMMA && next !== BACKSLASH)
        fail(
          `'\\${next === undefined ? '' : String.fromCharCode(next)}' is not an escape in a comma-separated list; use '\\,' or '\\\\'`,
        );
      item.push(next);
      i++;
    } else item.push(b);
  }
  return items.map((i) => Uint8Array.from(i));
}

/** The inverse of splitValueList for one item. */
function escapeListItem(item: Uint8Array): number[] {
  const out: number[] = [];
  for (const b of item) {
    if (b === COMMA || b === BACKSLASH) out.push(BACKSLASH);
    out.push(b);
  }
  return out;
}

function alpnIds(wire: Uint8Array): Uint8Array[] {
  const ids: Uint8Array[] = [];
  for (let p = 0; p < wire.length; p += 1 + wire[p]!) ids.push(wire.subarray(p + 1, p + 1 + wire[p]!));
  return ids;
}

function addressList(size: 4 | 16): KeyFormat {
  const v4 = size === 4;
  const family = v4 ? 'IPv4' : 'IPv6';
  return {
    name: v4 ? 'ipv4hint' : 'ipv6hint',
    rfc: 'RFC 9460 §7.3',
    fromText(text, fail) {
      return concat(
        latin1(text)
          .split(',')
          .map((a) => (v4 ? parseIPv4(a) : parseIPv6(a)) ?? fail(`'${a}' is not an ${family} address`)),
      );
    },
    toText: (wire) =>
      chunks(wire, size)
        .map(v4 ? formatIPv4 : formatIPv6)
        .join(','),
    problem: (wire) =>
      wire.length % size === 0
        ? undefined
        : `value of ${wire.length} octets is not a list of ${size}-octet ${family} addresses`,
  };
}

const FORMATS: readonly KeyFormat[] = [
  {
    name: 'mandatory',
    rfc: 'RFC 9460 §8',
    fromText(text, fail) {
      const keys: number[] = [];
      const seen = new Set<number>();
      for (const n of latin1(text).split(',')) {
        const key = keyFromName(n) ?? fail(`'${n}' is not a SvcParamKey`);
        if (seen.has(key)) fail(`lists '${n}' twice`);
        seen.add(key);
        keys.push(key);
      }
      // The wire form lists keys in increasing order; presentation order is free.
      keys.sort((a, b) => a - b);
      return concat(keys.map((k) => Uint8Array.of(k >> 8, k & 0xff)));
    },
    toText: (wire) => mandatoryKeys(wire).map(keyName).join(','),
    problem(wire) {
      if (wire.length % 2 !== 0) return `value of ${wire.length} octets is not a list of 2-octet keys`;
      let prev = -1;
      for (const k of mandatoryKeys(wire)) {
        if (k === 0) return "must not list 'mandatory' itself";
        if (k === INVALID_KEY) return 'lists key65535, which is reserved';
        if (k === prev) return `lists '${keyName(k)}' twice`;
        if (k < prev) return 'keys must be in increasing order';
        prev = k;
      }
      return undefined;
    },
  },
  {
    name: 'alpn',
    rfc: 'RFC 9460 §7.1.1',
    fromText(text, fail) {
      const ids = splitValueList(text, fail);
      for (const id of ids) {
        if (id.length === 0) fail('empty protocol id in the list');
        if (id.length > 255) fail(`protocol id of ${id.length} octets exceeds 255`);
      }
      return concat(ids.flatMap((id) => [Uint8Array.of(id.length), id]));
    },
    toText: (wire) =>
      presentValue(
        Uint8Array.from(alpnIds(wire).flatMap((id, i) => [...(i ? [COMMA] : []), ...escapeListItem(id)])),
      ),
    problem(wire) {
      for (let p = 0; p < wire.length; p += 1 + wire[p]!) {
        if (wire[p] === 0) return 'empty protocol id';
        if (p + 1 + wire[p]! > wire.length) return 'protocol id overruns the value';
      }
      return undefined;
    },
  },
  { name: 'no-default-alpn', rfc: 'RFC 9460 §7.1.1', empty: true },
  {
    name: 'port',
    rfc: 'RFC 9460 §7.2',
    fromText(text, fail) {
      const s = latin1(text);
      if (!/^[0-9]{1,5}$/.test(s) || Number(s) > 0xffff) fail(`'${s}' is not a port number from 0 to 65535`);
      return Uint8Array.of(Number(s) >> 8, Number(s) & 0xff);
    },
    toText: (wire) => String((wire[0]! << 8) | wire[1]!),
    problem: (wire) =>
      wire.length === 2 ? undefined : `value of ${wire.length} octets is not a 2-octet port`,
  },
  addressList(4),
  {
    name: 'ech',
    rfc: 'RFC 9460 §14.3.2',
    fromText(text, fail) {
      const b = base64Decode(latin1(text));
      return b?.length ? b : fail(`'${latin1(text)}' is not base64 (RFC 4648 §4)`);
    },
    toText: base64Encode,
  },
  addressList(16),
  // A URI template, kept as the octets written (RFC 9461 §5).
  { name: 'dohpath', rfc: 'RFC 9461 §5', fromText: (text) => text, toText: presentValue },
  { name: 'ohttp', rfc: 'RFC 9540 §4', empty: true },
];

const FORMAT_BY_KEY = new Map(FORMATS.map((f, key) => [key, f]));
const KEY_BY_NAME = new Map(FORMATS.map((f, key) => [f.name, key]));

function mandatoryKeys(wire: Uint8Array): number[] {
  return chunks(wire, 2).map((k) => (k[0]! << 8) | k[1]!);
}

function keyName(key: number): string {
  return FORMAT_BY_KEY.get(key)?.name ?? `key${key}`;
}

/** A registered name, or keyNNNNN without leading zeros (RFC 9460 §2.1). */
function keyFromName(text: string): number | undefined {
  const known = KEY_BY_NAME.get(text);
  if (known !== undefined) return known;
  const m = /^key(0|[1-9][0-9]{0,4})$/.exec(text);
  return m && Number(m[1]) <= 0xffff ? Number(m[1]) : undefined;
}

function checkValue(key: number, wire: Uint8Array, fail: Fail): void {
  if (key === INVALID_KEY)
    fail(
      key,
      'rdata.svcb-reserved-key',
      'reserved as "Invalid key", never allowed in a record',
      'RFC 9460 §14.3.2',
    );
  if (wire.length > 0xffff)
    fail(key, 'rdata.svcb-value-too-long', `value of ${wire.length} octets exceeds 65535`, 'RFC 9460 §2.2');
  const f = FORMAT_BY_KEY.get(key);
  if (!f) return;
  if (f.empty) {
    if (wire.length > 0) fail(key, 'rdata.svcb-value-not-allowed', 'takes no value', f.rfc);
    return;
  }
  if (wire.length === 0) fail(key, 'rdata.svcb-missing-value', 'needs a value', f.rfc);
  const problem = f.problem?.(wire);
  if (problem) fail(key, `rdata.svcb-${f.name}`, problem, f.rfc);
}

/** Every rule on a whole record, shared by text parsing and wire decoding (and so by `\#`). */
function checkRecord(v: SVCBRdata, fail: Fail): void {
  if (v.priority === 0 && v.params.length > 0)
    fail(undefined, 'rdata.svcb-alias-params', 'AliasMode records carry no SvcParams', 'RFC 9460 §2.4.2');
  let prev = -1;
  for (const p of v.params) {
    if (p.key === prev) fail(p.key, 'rdata.svcb-duplicate-key', 'appears more than once', 'RFC 9460 §2.2');
    if (p.key < prev)
      fail(p.key, 'rdata.svcb-key-order', 'SvcParams must be in increasing key order', 'RFC 9460 §2.2');
    checkValue(p.key, p.value, fail);
    prev = p.key;
  }
  const present = new Set(v.params.map((p) => p.key));
  const mandatory = v.params.find((p) => p.key === SvcParamKey.mandatory);
  for (const k of mandatory ? mandatoryKeys(mandatory.value) : [])
    if (!present.has(k))
      fail(
        SvcParamKey.mandatory,
        'rdata.svcb-mandatory',
        `lists '${keyName(k)}', which the record does not have`,
        'RFC 9460 §8',
      );
  if (present.has(SvcParamKey.noDefaultAlpn) && !present.has(SvcParamKey.alpn))
    fail(
      SvcParamKey.noDefaultAlpn,
      'rdata.svcb-no-default-alpn',
      'needs alpn in the same record',
      'RFC 9460 §7.1.1',
    );
}

const fieldOf = (key: number | undefined): string => (key === undefined ? 'params' : keyName(key));

/**
 * Splits a SvcParam token into key and raw value. `key="v"` arrives as the
 * tokens `key=` and a quoted `v` right after it, which belong together.
 */
function splitParam(
  tokens: readonly Token[],
  i: number,
): { key: string; raw: string | undefined; used: number } {
  const t = tokens[i]!;
  const eq = t.text.indexOf('=');
  if (eq < 0) return { key: t.text, raw: undefined, used: 1 };
  const next = tokens[i + 1];
  if (
    eq === t.text.length - 1 &&
    next?.quoted &&
    next.line === t.line &&
    next.column === t.column + t.text.length
  )
    return { key: t.text.slice(0, eq), raw: next.text, used: 2 };
  return { key: t.text.slice(0, eq), raw: t.text.slice(eq + 1), used: 1 };
}

const targetField = name();

function svcbCodec(type: number, mnemonic: string): RdataCodec<SVCBRdata> {
  return {
    type,
    mnemonic,
    parse(tokens, ctx) {
      const [priorityToken, targetToken] = tokens;
      if (!priorityToken)
        throw fieldError('rdata.missing-field', `${mnemonic} is missing its priority field`, 'priority');
      const priority = u16.parse([priorityToken], ctx, 'priority');
      if (!targetToken)
        throw fieldError(
          'rdata.missing-field',
          `${mnemonic} is missing its target field`,
          'target',
          priorityToken,
        );
      const target = targetField.parse([targetToken], ctx, 'target');

      const tokenOf = new Map<number, Token>();
      const fail: Fail = (key, code, message, rfc) => {
        throw fieldError(code, message, fieldOf(key), key === undefined ? tokens[2] : tokenOf.get(key), rfc);
      };
      const params: SvcParam[] = [];
      for (let i = 2; i < tokens.length;) {
        const t = tokens[i]!;
        if (t.quoted)
          throw fieldError(
            'rdata.svcb-quoted-key',
            `'${t.text}' is quoted; only a value may be, as key="value"`,
            'params',
            t,
            'RFC 9460 §2.1',
          );
        const { key: keyText, raw, used } = splitParam(tokens, i);
        i += used;
        const key = keyFromName(keyText);
        if (key === undefined)
          throw fieldError(
            'rdata.svcb-unknown-key',
            `'${keyText}' is not a SvcParamKey; write unregistered keys as keyNNNNN (no leading zeros)`,
            keyText,
            t,
            'RFC 9460 §2.1',
          );
        if (tokenOf.has(key))
          throw fieldError(
            'rdata.svcb-duplicate-key',
            'appears more than once',
            keyName(key),
            t,
            'RFC 9460 §2.1',
          );
        tokenOf.set(key, t);
        const text = atToken(t, () =>
          raw === undefined ? new Uint8Array(0) : decodeCharString(raw, keyText),
        );
        const f = FORMAT_BY_KEY.get(key);
        // keyNNNNN=value is the value in wire form, for any key (RFC 9460 §2.1).
        const generic = keyText !== f?.name;
        let value = text;
        if (!generic && f?.fromText && text.length > 0)
          value = f.fromText(text, (message) => fail(key, `rdata.svcb-${f.name}`, message, f.rfc));
        params.push({ key, value });
      }
      params.sort((a, b) => a.key - b.key);
      const v = { priority, target, params };
      checkRecord(v, fail);
      return v;
    },
    print(v, options = {}) {
      const params = [...v.params].sort((a, b) => a.key - b.key).map(printParam);
      return [String(v.priority), targetField.print(v.target, options), ...params].join(' ');
    },
    encode(v, w, options = {}) {
      w.u16(v.priority);
      // Never compressed, and not lowercased in canonical form: RFC 9460 is not in RFC 4034 §6.2's list.
      targetField.encode(v.target, w, options);
      for (const p of [...v.params].sort((a, b) => a.key - b.key))
        w.u16(p.key).u16(p.value.length).bytes(p.value);
    },
    decode(r, length) {
      const end = r.pos + length;
      if (end > r.buf.length)
        throw new WireError(`${mnemonic} RDATA of ${length} octets overruns the message`);
      if (length < 3) throw new WireError(`${mnemonic} RDATA of ${length} octets is too short`);
      const priority = r.u16('priority');
      const target = r.name('target', { compression: false });
      if (r.pos > end) throw new WireError(`target: overruns the ${mnemonic} RDATA`);
      const params: SvcParam[] = [];
      while (r.pos < end) {
        if (end - r.pos < 4) throw new WireError('params: RDATA ends inside a SvcParam (RFC 9460 §2.2)');
        const key = r.u16('SvcParamKey');
        const len = r.u16('SvcParamValue length');
        if (r.pos + len > end)
          throw new WireError(`${keyName(key)}: value overruns the RDATA (RFC 9460 §2.2)`);
        params.push({ key, value: r.bytes(len, keyName(key)) });
      }
      const v = { priority, target, params };
      checkRecord(v, (key, _code, message, rfc) => {
        throw new WireError(`${fieldOf(key)}: ${message} (${rfc})`);
      });
      return v;
    },
    targets: (v) => (v.target.isRoot ? [] : [v.target]),
  };
}

/**
 * Keys read by name but printed as keyNNNNN: Knot 3.2 (Debian 12, what CI
 * checks against) refuses `dohpath=` and `ohttp`, and every reader takes the
 * generic form (RFC 9460 §2.1), which means the same.
 */
const PRINT_GENERIC = new Set<number>([SvcParamKey.dohpath, SvcParamKey.ohttp]);

function printParam(p: SvcParam): string {
  const f = PRINT_GENERIC.has(p.key) ? undefined : FORMAT_BY_KEY.get(p.key);
  // A value the key's own syntax cannot show (only from hand-built data) falls back to keyNNNNN.
  const fits = f && (f.empty ? p.value.length === 0 : p.value.length > 0 && !f.problem?.(p.value));
  if (f && fits) return f.toText ? `${f.name}=${f.toText(p.value)}` : f.name;
  return p.value.length === 0 ? `key${p.key}` : `key${p.key}=${quoteCharString(p.value)}`;
}

export const SVCB: RdataCodec<SVCBRdata> = registerRdata(svcbCodec(RRType.SVCB, 'SVCB'));
export const HTTPS: RdataCodec<SVCBRdata> = registerRdata(svcbCodec(RRType.HTTPS, 'HTTPS'));
