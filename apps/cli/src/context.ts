import { InvalidArgumentError, type Command } from 'commander';
import { clientFromEnv, type ApiClient } from './client.js';
import type { CliIo } from './io.js';

/** What every command gets: the I/O and, lazily, the API client (so --help needs no token). */
export class Context {
  private clientPromise: Promise<ApiClient> | undefined;

  constructor(readonly io: CliIo) {}

  client(): Promise<ApiClient> {
    return (this.clientPromise ??= clientFromEnv(this.io));
  }
}

export interface JsonOption {
  json?: boolean;
}

/** `--json` on a leaf command: machine-readable output on stdout. */
export function withJson(cmd: Command): Command {
  return cmd.option('--json', 'print JSON for scripts instead of text');
}

/** A TTL: a whole number of seconds from 0 to 2^31-1 (RFC 2181 §8). */
export function ttlOption(value: string): number {
  if (!/^[0-9]{1,10}$/.test(value) || Number(value) > 0x7fffffff)
    throw new InvalidArgumentError('must be a whole number of seconds from 0 to 2147483647');
  return Number(value);
}

/** Appends each use of a repeatable option. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The zone's serial from the ETag header (`"2025010101"`). */
export function serialOf(res: Response): number | undefined {
  const m = /^(?:W\/)?"?([0-9]+)"?$/.exec(res.headers.get('etag') ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Zone names as the API stores them: absolute and lowercase. */
export function absoluteZone(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}
