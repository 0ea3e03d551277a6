/**
 * Every rejection in the library is a DnsError: a stable `code` machines can
 * branch on, a human message that names the offending field or value, and
 * the RFC rule it breaks where there is one.
 */
export class DnsError extends Error {
  /** Where in a text input the error is, when it came from one. */
  position?: TextPosition;

  constructor(
    readonly code: string,
    message: string,
    readonly rfc?: string,
    /** The field or token the error is about, e.g. `preference`, `alpn`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DnsError';
  }
}

/** Malformed wire data: truncated, bad pointers, lengths that do not add up. */
export class WireError extends DnsError {
  constructor(message: string) {
    super('wire', message);
    this.name = 'WireError';
  }
}

/** A location in a text input (1-based line and column). */
export interface TextPosition {
  line: number;
  column: number;
}
