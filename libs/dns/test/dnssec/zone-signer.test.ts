import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Name,
  RRType,
  dsFor,
  keyTag,
  recordToString,
  signZone,
  threadSigner,
  generateKey,
  type Change,
  type Denial,
  type ResourceRecord,
  type RRSIGRdata,
  type Zone,
} from '@herald/dns';
import { FIXTURE, ORIGIN, fixtureZone, testKeys, verifyWithTools } from './sign-fixture.js';

const NSEC3: Denial = { kind: 'nsec3', iterations: 0, salt: new Uint8Array() };
const NSEC: Denial = { kind: 'nsec' };
// Real time, so that dnssec-verify (which has no clock option) checks these zones too.
const NOW = new Date();

/** What signing decides, without the signature octets: chain records exactly, and which key covers which RRset. */
function signedShape(zone: Zone): string[] {
  const out: string[] = [];
  for (const rr of zone.records()) {
    if (rr.type === RRType.RRSIG) {
      const s = rr.data as RRSIGRdata;
      out.push(`${rr.name.key} RRSIG ${s.typeCovered} ${s.keyTag} ${s.labels} ${s.originalTtl} ${rr.ttl}`);
    } else out.push(recordToString(rr));
  }
  return out.sort();
}

function apply(zone: Zone, changes: Change[]): ResourceRecord[] {
  const r = zone.apply(changes);
  if (!r.ok) throw new Error(r.errors[0]!.message);
  return [...r.diff.removed, ...r.diff.added];
}

const a = (name: string, ip: string, ttl = 3600): ResourceRecord => ({
  name: Name.parse(name, { origin: ORIGIN }),
  type: RRType.A,
  class: 1,
  ttl,
  data: { address: ip },
});

describe.each([
  [13, NSEC3],
  [13, NSEC],
  [15, NSEC3],
  [15, NSEC],
] as const)('algorithm %i, %o', (algorithm, denial) => {
  it('a full sign passes ldns-verify-zone, dnssec-verify and kzonecheck', async () => {
    const zone = fixtureZone();
    const keys = testKeys(algorithm, denial);
    const result = await signZone(zone, keys.setup, NOW, { kind: 'full' }, keys.signer);
    expect(result.signatures).toBeGreaterThan(15);
    expect(verifyWithTools(zone)).toBe('');
    // Nothing is signed below a cut, and the delegation NS is not signed (RFC 4035 §2.2).
    const covered = [...zone.records()]
      .filter((rr) => rr.type === RRType.RRSIG)
      .map((rr) => `${rr.name.toString()} ${(rr.data as RRSIGRdata).typeCovered}`);
    expect(covered).not.toContain(`sub.example.com. ${RRType.NS}`);
    expect(covered).not.toContain(`ns.sub.example.com. ${RRType.A}`);
    expect(covered).toContain(`secure.example.com. ${RRType.DS}`);
    // The wildcard's signature counts its labels without the `*` (RFC 4034 §3.1.3).
    const wild = [...zone.records()].find(
      (rr) => rr.type === RRType.RRSIG && rr.name.toString() === '*.wild.example.com.',
    );
    expect((wild!.data as RRSIGRdata).labels).toBe(3);
  });

  it('changes signed incrementally give the same zone as a full sign, and it validates', async () => {
    let zone = fixtureZone();
    const keys = testKeys(algorithm, denial);
    await signZone(zone, keys.setup, NOW, { kind: 'full' }, keys.signer);
    const steps: Change[][] = [
      [{ op: 'create', record: a('new', '192.0.2.50') }],
      [{ op: 'create', record: a('x.y.z.deep', '192.0.2.51') }], // three new empty non-terminals
      [{ op: 'delete', record: a('a.b.c.ent', '192.0.2.3') }], // ENTs disappear
      [
        {
          op: 'replace',
          name: Name.parse('www.example.com.'),
          type: RRType.A,
          ttl: 60,
          rdatas: [{ address: '192.0.2.9' }],
        },
      ],
      // A delegation over existing names: they become glue, unsigned and out of the chain.
      [
        {
          op: 'create',
          record: {
            name: Name.parse('x.y.z.deep.example.com.'),
            type: RRType.NS,
            class: 1,
            ttl: 3600,
            data: { target: Name.parse('ns1.example.com.') },
          },
        },
      ],
      [{ op: 'replace', name: Name.parse('sub.example.com.'), type: RRType.NS, ttl: 3600, rdatas: [] }], // the cut goes: ns.sub is authoritative
      [{ op: 'replace', name: Name.parse('*.wild.example.com.'), type: RRType.TXT, ttl: 3600, rdatas: [] }],
      [{ op: 'create', record: a('*.other', '192.0.2.60') }],
    ];
    for (const [i, changes] of steps.entries()) {
      // Every other step on a copy, as after a model reloaded from storage: the chain index is rebuilt, not the signatures.
      if (i % 2 === 1) zone = zone.clone();
      const records = apply(zone, changes);
      const result = await signZone(zone, keys.setup, NOW, { kind: 'changes', records }, keys.signer);
      expect(result.ran, `step ${i + 1}`).toBe('changes');
      const fresh = fixtureZone(FIXTURE);
      // Same data, then a full sign with the same keys: the shapes must agree.
      const data = [...zone.records()].filter(
        (rr) =>
          !([RRType.RRSIG, RRType.NSEC, RRType.NSEC3, RRType.NSEC3PARAM, RRType.DNSKEY] as number[]).includes(
            rr.type,
          ),
      );
      const rebuilt = fresh.apply([
        ...[...fresh.records()].map((rr): Change => ({ op: 'delete', record: rr })),
        ...data.map((rr): Change => ({ op: 'create', record: rr })),
      ]);
      expect(rebuilt.ok).toBe(true);
      await signZone(fresh, keys.setup, NOW, { kind: 'full' }, keys.signer);
      expect(signedShape(zone), `step ${i + 1}`).toEqual(signedShape(fresh));
    }
    expect(verifyWithTools(zone)).toBe('');
  });
});

describe('refresh and timing', () => {
  it('keeps signatures with time left, replaces those under the refresh threshold', async () => {
    const zone = fixtureZone();
    const keys = testKeys(13, NSEC3);
    await signZone(zone, keys.setup, NOW, { kind: 'full' }, keys.signer);
    const soon = await signZone(
      zone,
      keys.setup,
      new Date(NOW.getTime() + 86400_000),
      { kind: 'refresh' },
      keys.signer,
    );
    expect(soon.signatures).toBe(0);
    expect(soon.diff.added).toEqual([]);
    // Eight days on, every signature (14 days less up to one of jitter) has under 7 days left.
    const later = new Date(NOW.getTime() + 8 * 86400_000);
    const refreshed = await signZone(zone, keys.setup, later, { kind: 'refresh' }, keys.signer);
    expect(refreshed.signatures).toBeGreaterThan(15);
    expect(verifyWithTools(zone, later)).toBe('');
    // Inception is backdated an hour; expirations are spread within a day.
    const sigs = [...zone.records()]
      .filter((rr) => rr.type === RRType.RRSIG)
      .map((rr) => rr.data as RRSIGRdata);
    const t = Math.floor(later.getTime() / 1000);
    for (const s of sigs) {
      expect(s.inception).toBe(t - 3600);
      expect(s.expiration).toBeGreaterThan(t - 3600 + 13 * 86400);
      expect(s.expiration).toBeLessThanOrEqual(t - 3600 + 14 * 86400);
    }
    expect(new Set(sigs.map((s) => s.expiration)).size).toBeGreaterThan(1);
  });

  it('signs across worker threads with the same result as on one', async () => {
    const lines = Array.from({ length: 1500 }, (_, i) => `h${i} A 192.0.2.${i % 250}`).join('\n');
    const threaded = fixtureZone(`${FIXTURE}${lines}\n`);
    const single = fixtureZone(`${FIXTURE}${lines}\n`);
    const keys = testKeys(13, NSEC3);
    let progress = 0;
    // Over 3,000 signatures: past the threshold where threads are used.
    const result = await signZone(
      threaded,
      keys.setup,
      NOW,
      { kind: 'full' },
      threadSigner(keys.material, 2),
      (done) => {
        progress = done;
      },
    );
    await signZone(single, keys.setup, NOW, { kind: 'full' }, keys.signer);
    expect(result.signatures).toBeGreaterThan(3000);
    expect(progress).toBe(result.signatures);
    expect(signedShape(threaded)).toEqual(signedShape(single));
    expect(verifyWithTools(threaded)).toBe('');
  });
});

describe('keys', () => {
  it('key tags and DS digests agree with BIND and ldns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-ds-'));
    try {
      for (const algorithm of [13, 15] as const) {
        const key = generateKey(algorithm);
        const rdata = { flags: 257, protocol: 3, algorithm, publicKey: key.publicKey };
        const line = `example.com. 3600 IN DNSKEY ${recordToString({ name: ORIGIN, type: RRType.DNSKEY, class: 1, ttl: 3600, data: rdata }).split(' DNSKEY ')[1]}`;
        const file = join(dir, 'key');
        writeFileSync(file, `${line}\n`);
        const bind = execFileSync('dnssec-dsfromkey', ['-2', '-f', file, 'example.com.'], {
          encoding: 'utf8',
        });
        const ds = dsFor(ORIGIN, rdata);
        expect(bind).toContain(
          `DS ${keyTag(rdata)} ${algorithm} 2 ${Buffer.from(ds.digest).toString('hex').toUpperCase()}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
