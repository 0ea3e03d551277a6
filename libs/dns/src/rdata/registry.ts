import type { RdataCodec } from './codec.js';

const codecs = new Map<number, RdataCodec<unknown>>();

/** Registers a type's codec; each type family file calls this once per type. */
export function registerRdata<T>(codec: RdataCodec<T>): RdataCodec<T> {
  if (codecs.has(codec.type)) throw new Error(`type ${codec.mnemonic} registered twice`);
  codecs.set(codec.type, codec as RdataCodec<unknown>);
  return codec;
}

/** The codec of a known type, or undefined (the type is then handled per RFC 3597). */
export function codecFor(type: number): RdataCodec<unknown> | undefined {
  return codecs.get(type);
}

export function knownTypes(): number[] {
  return [...codecs.keys()].sort((a, b) => a - b);
}
