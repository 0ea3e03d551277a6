// A small zone with the shapes signing must get right, and keys for it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_TIMING,
  FLAG_SEP,
  FLAG_ZONE,
  Name,
  Zone,
  generateKey,
  keyTag,
  loadZoneFile,
  localSigner,
  recordToString,
  type Denial,
  type DNSKEYRdata,
  type SigningAlgorithm,
  type SigningSetup,
  type PrivateKeyMaterial,
} from '@herald/dns';

export const ORIGIN = Name.parse('example.com.');

export const FIXTURE = `$ORIGIN example.com.
$TTL 3600
@ SOA ns1 hostmaster 1 7200 3600 1209600 300
@ NS ns1
@ MX 10 mail
ns1 A 192.0.2.1
www A 192.0.2.2
www AAAA 2001:db8::2
*.wild TXT "wild"
a.b.c.ent A 192.0.2.3
alias CNAME www
sub NS ns.sub
ns.sub A 192.0.2.4
secure NS ns.secure
secure DS 12345 13 2 ${'ab'.repeat(32)}
ns.secure A 192.0.2.5
mail A 192.0.2.6
txt 600 TXT "a" "b"
`;

export function fixtureZone(text = FIXTURE): Zone {
  const loaded = loadZoneFile(text, ORIGIN);
  if (!loaded.zone) throw new Error(`fixture: ${JSON.stringify(loaded.errors)}`);
  return loaded.zone;
}

export interface TestKeys {
  setup: SigningSetup;
  signer: ReturnType<typeof localSigner>;
  ksk: DNSKEYRdata;
  material: PrivateKeyMaterial[];
}

export function testKeys(algorithm: SigningAlgorithm, denial: Denial): TestKeys {
  const ksk = generateKey(algorithm);
  const zsk = generateKey(algorithm);
  const kskR: DNSKEYRdata = { flags: FLAG_ZONE | FLAG_SEP, protocol: 3, algorithm, publicKey: ksk.publicKey };
  const zskR: DNSKEYRdata = { flags: FLAG_ZONE, protocol: 3, algorithm, publicKey: zsk.publicKey };
  const material: PrivateKeyMaterial[] = [
    { id: 'ksk', algorithm, privateKey: ksk.privateKey },
    { id: 'zsk', algorithm, privateKey: zsk.privateKey },
  ];
  return {
    ksk: kskR,
    setup: {
      dnskeys: [kskR, zskR],
      dnskeyTtl: 3600,
      keySigning: [{ id: 'ksk', tag: keyTag(kskR), algorithm }],
      zoneSigning: [{ id: 'zsk', tag: keyTag(zskR), algorithm }],
      cds: [],
      cdnskey: [],
      denial,
      timing: DEFAULT_TIMING,
    },
    signer: localSigner(material),
    material,
  };
}

export function zoneText(zone: Zone): string {
  return [...zone.records()].map((rr) => recordToString(rr)).join('\n') + '\n';
}

/**
 * Runs ldns-verify-zone and kzonecheck on the zone as of `at` (both take a
 * clock option), and dnssec-verify too when `at` is now: it has no clock
 * option and hangs under libfaketime (its clock_gettime recursion). Returns
 * their complaints, '' when all pass.
 */
export function verifyWithTools(zone: Zone, at?: Date): string {
  const when = at ?? new Date();
  const dir = mkdtempSync(join(tmpdir(), 'herald-verify-'));
  try {
    const file = join(dir, 'zone');
    writeFileSync(file, zoneText(zone));
    const problems: string[] = [];
    const stamp = when.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const run = (cmd: string, args: string[]) => {
      try {
        return {
          ok: true,
          out: execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
        };
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string };
        return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
      }
    };
    const ldns = run('ldns-verify-zone', ['-t', stamp, file]);
    if (!ldns.ok || !/Zone is verified and complete/.test(ldns.out))
      problems.push(`ldns-verify-zone: ${ldns.out}`);
    const epoch = String(Math.floor(when.getTime() / 1000));
    if (!at) {
      const bind = run('dnssec-verify', ['-o', zone.origin.toString(), file]);
      if (!bind.ok || !/Zone fully signed/.test(bind.out)) problems.push(`dnssec-verify: ${bind.out}`);
    }
    const knot = run('kzonecheck', ['-d', 'on', '-t', epoch, '-o', zone.origin.toString(), file]);
    if (!knot.ok || knot.out.trim() !== '') problems.push(`kzonecheck: ${knot.out}`);
    return problems.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
