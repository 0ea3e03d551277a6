// Signs test zones with real tools (ldns-keygen, ldns-signzone from Debian's
// ldnsutils) into a temporary directory, with keys generated at test time.
// A missing tool throws: DNSSEC tests never skip.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SignOptions {
  /** DNSSEC algorithm number: 13 (ECDSAP256SHA256) or 15 (Ed25519). */
  algorithm: 13 | 15;
  /** NSEC3 instead of NSEC. */
  nsec3?: { iterations: number; salt: string };
  /** Extra master-file lines added before signing. */
  extra?: string[];
}

export interface SignedZone {
  dir: string;
  /** The signed master file. */
  file: string;
  /** The KSK's DS record (presentation form, one line). */
  ds: string;
  text: string;
}

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.error)
    throw new Error(
      `${cmd} is not installed (${(r.error as NodeJS.ErrnoException).code}); the DNSSEC tests need it: apt-get install ldnsutils`,
    );
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Signs `zoneText` (origin `origin`, absolute) with a fresh KSK and ZSK. */
export function signZone(origin: string, zoneText: string, options: SignOptions): SignedZone {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-dnssec-'));
  const name = origin.replace(/\.$/, '');
  const alg = String(options.algorithm);
  const ksk = run('ldns-keygen', ['-a', alg, '-k', '-r', '/dev/urandom', name], dir).trim();
  const zsk = run('ldns-keygen', ['-a', alg, '-r', '/dev/urandom', name], dir).trim();
  const ds = readFileSync(path.join(dir, `${ksk}.ds`), 'utf8')
    .trim()
    .split('\n')[0]!;
  const dnskey = readFileSync(path.join(dir, `${ksk}.key`), 'utf8')
    .split('\n')
    .find((l) => /\sDNSKEY\s/.test(l) && !l.startsWith(';'))!;
  // CDS and CDNSKEY (RFC 7344) copied from the KSK, as a signer publishing them would.
  const cds = ds.replace(/\sDS\s/, ' CDS ').replace(/\sIN\s/, ' 3600 IN ');
  const cdnskey = dnskey.replace(/\sDNSKEY\s/, ' CDNSKEY ');
  const input = path.join(dir, 'zone');
  writeFileSync(input, [zoneText, cds, cdnskey, ...(options.extra ?? []), ''].join('\n'));
  const file = path.join(dir, 'signed.zone');
  const args = ['-o', origin, '-f', file];
  if (options.nsec3) {
    args.push('-n', '-t', String(options.nsec3.iterations));
    if (options.nsec3.salt !== '') args.push('-s', options.nsec3.salt);
  }
  run('ldns-signzone', [...args, input, ksk, zsk], dir);
  return { dir, file, ds, text: readFileSync(file, 'utf8') };
}
