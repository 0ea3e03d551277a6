import type { ValueTransformer } from 'typeorm';

// pg returns int8 as a string (it may exceed 2^53). Serials are 32-bit
// unsigned, so a JS number holds them exactly.
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

// pg returns bytea as a Buffer, which already is a Uint8Array; writes accept
// any Uint8Array view, copied into a Buffer without copying the bytes.
export const byteaAsBytes: ValueTransformer = {
  to: (value: Uint8Array | null | undefined) =>
    value == null ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  from: (value: Buffer | null) => value,
};
