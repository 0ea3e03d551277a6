// Importing this module registers every type codec (one file per family).
export * from './address.js';
export * from './name-target.js';
export * from './soa.js';
export * from './mail.js';
export * from './text.js';
export * from './service.js';
export * from './caa.js';
export * from './fingerprints.js';
export * from './dnssec.js';
export * from './svcb.js';
