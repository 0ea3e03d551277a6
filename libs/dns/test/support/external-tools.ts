// Runs the real zone checkers installed from Debian (bind9-utils,
// knot-dnssecutils, ldnsutils). A missing tool fails the test: .ci/run
// installs them, and a cross-check that silently skips proves nothing.
import { spawnSync } from 'node:child_process';

export interface ToolRun {
  status: number | null;
  output: string;
}

export function run(cmd: string, args: string[]): ToolRun {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd} could not run (${r.error.message}); install it (see .ci/run)`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** named-checkzone with BIND's default checks for a primary zone. */
export const namedCheckzone = (origin: string, file: string) => run('named-checkzone', [origin, file]);

/** kzonecheck: Knot's semantic checks, and DNSSEC validation when `dnssec` is set. */
export const kzonecheck = (origin: string, file: string, dnssec = false) =>
  run('kzonecheck', ['-o', origin, ...(dnssec ? ['-d', 'on'] : []), file]);

export const ldnsReadZone = (file: string) => run('ldns-read-zone', [file]);

/** BIND's reading of a zone, written out in its own canonical text form. */
export const namedCompilezone = (origin: string, input: string, output: string) =>
  run('named-compilezone', ['-q', '-k', 'ignore', '-i', 'none', '-o', output, origin, input]);

/** ldns's record-by-record comparison of two zone files, SOA included; exit 2 when they differ. */
export const ldnsCompareZones = (a: string, b: string) => run('ldns-compare-zones', ['-a', '-s', '-e', a, b]);
