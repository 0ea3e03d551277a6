// Master files (RFC 1035 §5): a streaming parser and a canonical printer.
export * from './parser.js';
export * from './printer.js';
export * from './load-zone.js';
