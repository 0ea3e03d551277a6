import { DnsError, WireError } from '../../errors.js';
import { decodeCharString, quoteCharString } from '../../presentation/escapes.js';
import { atToken } from '../../presentation/lexer.js';
import type { RdataCodec } from '../codec.js';
import { fieldError } from '../fields.js';
import { registerRdata } from '../registry.js';
import { RRType } from '../rrtype.js';

/** RFC 8659: flags, a tag of ASCII letters and digits, and a value to the end of the RDATA. */
export interface CAARdata {
  flags: number;
  tag: string;
  value: Uint8Array;
}

function checkTag(tag: string): void {
  if (!/^[A-Za-z0-9]{1,15}$/.test(tag))
    throw new DnsError(
      'rdata.caa-tag',
      `tag: '${tag}' must be 1-15 ASCII letters or digits`,
      'RFC 8659 §4.1',
      'tag',
    );
}

export const CAA: RdataCodec<CAARdata> = registerRdata<CAARdata>({
  type: RRType.CAA,
  mnemonic: 'CAA',
  parse(tokens) {
    const [flags, tag, value, extra] = tokens;
    if (!flags || !/^[0-9]+$/.test(flags.text) || Number(flags.text) > 255)
      throw fieldError(
        'field.integer',
        `'${flags?.text ?? ''}' is not an integer from 0 to 255`,
        'flags',
        flags,
      );
    if (!tag) throw fieldError('rdata.missing-field', 'CAA is missing its tag field', 'tag', flags);
    atToken(tag, () => checkTag(tag.text));
    if (!value) throw fieldError('rdata.missing-field', 'CAA is missing its value field', 'value', tag);
    if (extra)
      throw fieldError(
        'rdata.extra-field',
        `unexpected '${extra.text}' after the CAA value (quote values with spaces)`,
        'value',
        extra,
      );
    return {
      flags: Number(flags.text),
      tag: tag.text,
      value: atToken(value, () => decodeCharString(value.text, 'value')),
    };
  },
  print: (v) => `${v.flags} ${v.tag} ${quoteCharString(v.value)}`,
  encode(v, w) {
    w.u8(v.flags).u8(v.tag.length);
    for (let i = 0; i < v.tag.length; i++) w.u8(v.tag.charCodeAt(i));
    w.bytes(v.value);
  },
  decode(r, length) {
    const end = r.pos + length;
    const flags = r.u8('flags');
    const tagLen = r.u8('tag');
    if (r.pos + tagLen > end) throw new WireError('CAA tag overruns the RDATA');
    let tag = '';
    for (const b of r.bytes(tagLen, 'tag')) tag += String.fromCharCode(b);
    try {
      checkTag(tag);
    } catch (e) {
      throw new WireError((e as Error).message);
    }
    return { flags, tag, value: r.bytes(end - r.pos, 'value') };
  },
});
