// DNS messages (RFC 1035 §4): header, question and the three record sections.
export * from './codes.js';
export * from './message.js';
export * from './edns.js';
export * from './query.js';
