// @herald/dns: the pure DNS data model shared by herald, the edge and the CLI.
export * from './errors.js';
export * from './name/name.js';
export * from './name/hostname.js';
export * from './wire/reader.js';
export * from './wire/writer.js';
export * from './presentation/lexer.js';
export * from './presentation/escapes.js';
export * from './presentation/ttl.js';
export * from './rdata/codec.js';
export * from './rdata/rrtype.js';
export * from './rdata/registry.js';
export * from './rdata/rdata.js';
export * from './rdata/binary.js';
export * from './rdata/ip.js';
export * from './rdata/types/index.js';
export * from './rr.js';
