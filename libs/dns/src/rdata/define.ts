import { DnsError, WireError } from '../errors.js';
import type { Name } from '../name/name.js';
import type { RdataCodec } from './codec.js';
import { fieldError, type FieldKind } from './fields.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FieldSpec = { key: string; kind: FieldKind<any> };

export interface DefineOptions<T> {
  /** Semantic checks beyond syntax (e.g. digest length for the digest type); throw DnsError. */
  validate?(value: T): void;
  /** Names of other hosts held in the RDATA. */
  targets?(value: T): Name[];
}

/**
 * Builds a codec for a type whose RDATA is a fixed sequence of fields, the
 * last of which may take the rest. Missing or extra tokens, and RDATA whose
 * length does not match its fields, are specific errors.
 */
export function defineRdata<T extends object>(
  type: number,
  mnemonic: string,
  fields: readonly FieldSpec[],
  options: DefineOptions<T> = {},
): RdataCodec<T> {
  return {
    type,
    mnemonic,
    encodingChecks: !options.validate && fields.every((f) => f.kind.alwaysDecodes),
    parse(tokens, ctx) {
      const value: Record<string, unknown> = {};
      let i = 0;
      for (const f of fields) {
        if (f.kind.rest) {
          value[f.key] = f.kind.parse(tokens.slice(i), ctx, f.key);
          i = tokens.length;
          continue;
        }
        const t = tokens[i];
        if (!t) {
          const last = tokens[tokens.length - 1];
          throw fieldError('rdata.missing-field', `${mnemonic} is missing its ${f.key} field`, f.key, last);
        }
        value[f.key] = f.kind.parse([t], ctx, f.key);
        i++;
      }
      if (i < tokens.length) {
        const extra = tokens[i]!;
        throw fieldError(
          'rdata.extra-field',
          `unexpected '${extra.text}' after the last field of ${mnemonic}`,
          mnemonic,
          extra,
        );
      }
      options.validate?.(value as T);
      return value as T;
    },
    print(value, printOptions = {}) {
      // A plain loop: this runs once per record when a million-record zone is printed.
      const v = value as Record<string, unknown>;
      let out = '';
      for (const f of fields) {
        const text = f.kind.print(v[f.key], printOptions);
        if (text !== '') out = out === '' ? text : out + ' ' + text;
      }
      return out;
    },
    encode(value, w, encodeOptions = {}) {
      const v = value as Record<string, unknown>;
      for (const f of fields) f.kind.encode(v[f.key], w, encodeOptions);
    },
    decode(r, length) {
      const end = r.pos + length;
      if (end > r.buf.length)
        throw new WireError(`${mnemonic} RDATA of ${length} octets overruns the message`);
      const value: Record<string, unknown> = {};
      for (const f of fields) {
        value[f.key] = f.kind.decode(r, end, f.key);
        // A field read past the RDATA must fail here, before a rest-of-RDATA field sees a negative length.
        if (r.pos > end)
          throw new WireError(`${mnemonic} RDATA of ${length} octets is shorter than its fields`);
      }
      if (r.pos !== end)
        throw new WireError(`${mnemonic} RDATA has ${end - r.pos} octet(s) after its last field`);
      try {
        options.validate?.(value as T);
      } catch (e) {
        if (e instanceof DnsError) throw new WireError(e.message);
        throw e;
      }
      return value as T;
    },
    ...(options.targets ? { targets: options.targets } : {}),
  };
}
