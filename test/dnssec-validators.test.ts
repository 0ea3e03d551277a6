// The DNSSEC validator harness checked on zones signed by ldns-signzone (NSEC
// and NSEC3, algorithms 13 and 15): a zone with a wildcard, a delegation with
// DS, one without, an empty non-terminal and a CNAME passes every validator;
// the same zone with one RDATA changed after signing, or validated after its
// signatures expired, fails every one. Served by Knot as it is, delv fully
// validates answers, NXDOMAIN and NODATA, unbound sets AD (SERVFAIL for the
// tampered zone), DNSViz reports no error (and does for the tampered zone).
//
// Needs ldnsutils, bind9-utils, bind9-dnsutils, bind9, knot, knot-dnsutils,
// unbound, faketime and dnsviz (.ci/run installs them): a missing tool fails
// the test, never skips it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  delvQuery,
  dnssecVerify,
  dnsvizCheck,
  kzonecheck,
  ldnsVerifyZone,
  serveWithKnot,
  signWithLdns,
  startUnbound,
  type LdnsSigned,
  type ServedZone,
  type ValidatorResult,
} from './support/dnssec-validators.js';
import { stopAll } from './support/processes.js';

const ORIGIN = 'example.test.';

// In-zone name servers at 127.0.0.1: DNSViz resolves the NS names and asks
// their addresses as well (see dnsvizCheck).
const ZONE = `$ORIGIN example.test.
$TTL 300
@ IN SOA ns1 hostmaster 2026010101 3600 900 604800 300
@ NS ns1
@ NS ns2
@ A 192.0.2.1
@ MX 10 mail
ns1 A 127.0.0.1
ns2 A 127.0.0.1
mail A 192.0.2.25
www CNAME @
*.wild A 192.0.2.99
*.wild TXT "wildcard"
a.b.ent A 192.0.2.10
secure NS ns.secure
secure DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
ns.secure A 192.0.2.60
insecure NS ns.insecure
ns.insecure A 192.0.2.61
`;

/** One RDATA changed after signing: the apex A (which DNSViz probes too) keeps its old RRSIG. */
function tamper(signed: string): string {
  const out = signed.replace(/^(example\.test\.\s+\d+\s+IN\s+A\s+)192\.0\.2\.1$/m, '$1192.0.2.2');
  if (out === signed) throw new Error('the signed zone has no apex A record to tamper with');
  return out;
}

/** Well after ldns-signzone's default expiration (now + 4 weeks). */
const afterExpiry = () => new Date(Date.now() + 60 * 86_400_000);

const show = (r: ValidatorResult) => r.output;

afterAll(async () => {
  await stopAll();
});

const variants = [
  { algorithm: 13, nsec3: true },
  { algorithm: 13, nsec3: false },
  { algorithm: 15, nsec3: true },
  { algorithm: 15, nsec3: false },
] as const;

describe('zone-file validators', () => {
  test.each(variants)(
    'algorithm $algorithm, NSEC3 $nsec3: signed passes, tampered and expired fail',
    async (v) => {
      const signed = await signWithLdns(ZONE, ORIGIN, v);
      expect(signed.signedText).toMatch(v.nsec3 ? /\sNSEC3PARAM\s+1 0 0 -/ : /\sNSEC\s/);
      expect(signed.dsLines).toHaveLength(1);
      const tampered = tamper(signed.signedText);
      const at = afterExpiry();
      for (const validate of [ldnsVerifyZone, dnssecVerify, kzonecheck]) {
        const [good, bad, expired] = await Promise.all([
          validate(signed.signedText, ORIGIN),
          validate(tampered, ORIGIN),
          validate(signed.signedText, ORIGIN, { at }),
        ]);
        expect(good.ok, show(good)).toBe(true);
        expect(bad.ok, show(bad)).toBe(false);
        expect(expired.ok, show(expired)).toBe(false);
      }
    },
  );
});

describe.each([
  { algorithm: 13, nsec3: true },
  { algorithm: 15, nsec3: false },
] as const)('served by Knot: algorithm $algorithm, NSEC3 $nsec3', (v) => {
  let signed: LdnsSigned;
  let good: ServedZone;
  let bad: ServedZone;

  beforeAll(async () => {
    signed = await signWithLdns(ZONE, ORIGIN, v);
    [good, bad] = await Promise.all([
      serveWithKnot(signed.signedText, ORIGIN),
      serveWithKnot(tamper(signed.signedText), ORIGIN),
    ]);
  });

  afterAll(async () => {
    await Promise.all([good?.stop(), bad?.stop()]);
  });

  const cases = [
    ['mail.example.test.', 'A', 'positive'],
    ['www.example.test.', 'A', 'positive'], // CNAME to the apex
    ['anything.wild.example.test.', 'TXT', 'positive'], // wildcard
    ['secure.example.test.', 'DS', 'positive'], // signed delegation
    ['nope.example.test.', 'A', 'negative'], // NXDOMAIN
    ['mail.example.test.', 'AAAA', 'negative'], // NODATA
    ['b.ent.example.test.', 'A', 'negative'], // empty non-terminal
    ['insecure.example.test.', 'DS', 'negative'], // unsigned delegation: no DS, proven
  ] as const;

  test('delv fully validates answers, NXDOMAIN and NODATA; not the tampered or expired zone', async () => {
    const ask = (port: number, name: string, type: string, at?: Date) =>
      delvQuery({ port, name, type, zone: ORIGIN, trustAnchorDs: signed.dsLines, at });
    for (const [name, type, status] of cases) {
      const r = await ask(good.port, name, type);
      expect(r.status, `${name} ${type}\n${r.output}`).toBe(status);
      expect(r.ok).toBe(true);
    }
    const tampered = await ask(bad.port, 'example.test.', 'A');
    expect(tampered.status, tampered.output).toBe('failed');
    expect(tampered.ok).toBe(false);
    const expired = await ask(good.port, 'mail.example.test.', 'A', afterExpiry());
    expect(expired.status, expired.output).toBe('failed');
    // The wrong trust anchor: nothing validates.
    const other = await signWithLdns(ZONE, ORIGIN, v);
    const wrongAnchor = await delvQuery({
      port: good.port,
      name: 'mail.example.test.',
      type: 'A',
      zone: ORIGIN,
      trustAnchorDs: other.dsLines,
    });
    expect(wrongAnchor.status, wrongAnchor.output).toBe('failed');
  });

  test('unbound in front of Knot: AD=1 on every answer; SERVFAIL for the tampered zone', async () => {
    const [resolver, tampered] = await Promise.all([
      startUnbound({
        upstream: { host: '127.0.0.1', port: good.port },
        zone: ORIGIN,
        trustAnchorDs: signed.dsLines,
      }),
      startUnbound({
        upstream: { host: '127.0.0.1', port: bad.port },
        zone: ORIGIN,
        trustAnchorDs: signed.dsLines,
      }),
    ]);
    try {
      for (const [name, type, status] of cases) {
        const r = await resolver.query(name, type);
        expect(r.ad, r.output).toBe(true);
        expect(r.rcode, r.output).toBe(name === 'nope.example.test.' ? 'NXDOMAIN' : 'NOERROR');
        if (status === 'positive') expect(r.answer, r.output).not.toBe('');
      }
      const mail = await resolver.query('mail.example.test.', 'A');
      expect(mail.answer).toMatch(/mail\.example\.test\. \d+ A 192\.0\.2\.25/);
      const bogus = await tampered.query('example.test.', 'A');
      expect(bogus.rcode, bogus.output).toBe('SERVFAIL');
      expect(bogus.ad).toBe(false);
      // The rest of the tampered zone still validates.
      const other = await tampered.query('mail.example.test.', 'A');
      expect(other.ad, other.output).toBe(true);
    } finally {
      await Promise.all([resolver.stop(), tampered.stop()]);
    }
  });

  test('unbound at a time after the signatures expired: SERVFAIL', async () => {
    const resolver = await startUnbound({
      upstream: { host: '127.0.0.1', port: good.port },
      zone: ORIGIN,
      trustAnchorDs: signed.dsLines,
      at: afterExpiry(),
    });
    try {
      const r = await resolver.query('mail.example.test.', 'A');
      expect(r.rcode, r.output).toBe('SERVFAIL');
    } finally {
      await resolver.stop();
    }
  });

  test('DNSViz: no errors, the delegation and every probed answer SECURE; errors for the tampered zone', async () => {
    const other = await signWithLdns(ZONE, ORIGIN, v);
    const [ok, tampered, wrongDs] = await Promise.all([
      dnsvizCheck({ port: good.port, zone: ORIGIN, trustAnchorDs: signed.dsLines }),
      dnsvizCheck({ port: bad.port, zone: ORIGIN, trustAnchorDs: signed.dsLines }),
      dnsvizCheck({ port: good.port, zone: ORIGIN, trustAnchorDs: other.dsLines }),
    ]);
    expect(ok.ok, ok.output).toBe(true);
    expect(ok.errors).toEqual([]);
    expect(tampered.ok, tampered.output).toBe(false);
    expect(tampered.errors.join('\n'), tampered.output).toMatch(/SIGNATURE_INVALID/);
    expect(wrongDs.ok, wrongDs.output).toBe(false);
  });
});
