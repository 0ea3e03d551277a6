// DNSSEC over the HTTP API: enable, sign, change, disable; keys sealed under
// the master key; every signed export checked by validators no one here
// wrote (ldns-verify-zone, dnssec-verify, kzonecheck); bad requests change nothing.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AesGcmSecretBox } from '../../src/adapters/keys/aes-gcm-secret-box.js';
import type { SecretBox } from '../../src/ports/secret-box.port.js';
import { dnssecVerify, kzonecheck, ldnsVerifyZone } from '../../../../test/support/dnssec-validators.js';
import { BACKENDS, startHarness, type Harness } from '../api/harness.js';

/** A master key that can be swapped, to see what happens when the keys no longer open. */
class SwappableBox implements SecretBox {
  constructor(public inner: SecretBox) {}
  get keyId() {
    return this.inner.keyId;
  }
  seal(p: Uint8Array, c: string) {
    return this.inner.seal(p, c);
  }
  open(s: string, c: string) {
    return this.inner.open(s, c);
  }
}

async function validate(text: string, zone: string, singleKey = false): Promise<string> {
  const out: string[] = [];
  for (const r of [
    await ldnsVerifyZone(text, zone),
    await dnssecVerify(text, zone, { singleKey }),
    await kzonecheck(text, zone),
  ])
    if (!r.ok) out.push(r.output);
  return out.join('\n');
}

describe.each(BACKENDS)('DNSSEC API on %s', (backend) => {
  let h: Harness;
  const box = new SwappableBox(new AesGcmSecretBox(randomBytes(32)));
  beforeAll(async () => {
    h = await startHarness(backend, { secretBox: box });
  }, 60_000);
  afterAll(async () => h?.close());

  const exportText = async (zone: string) =>
    (await h.call('GET', `/v1/zones/${zone}/export`, h.adminA)).body as string;
  async function makeZone(zone: string) {
    expect(
      (await h.call('POST', '/v1/zones', h.adminA, { name: zone, nameservers: [`ns1.${zone}`] })).status,
    ).toBe(201);
    const records = [
      { name: 'ns1', type: 'A', value: '192.0.2.1' },
      { name: 'www', type: 'A', value: '192.0.2.2' },
      { name: '*.wild', type: 'TXT', value: '"wild"' },
      { name: 'a.b.ent', type: 'A', value: '192.0.2.3' },
      { name: 'alias', type: 'CNAME', value: `www.${zone}` },
      { name: 'sub', type: 'NS', value: `ns.sub.${zone}` },
      { name: 'ns.sub', type: 'A', value: '192.0.2.4' },
      { name: 'secure', type: 'NS', value: `ns1.${zone}` },
      { name: 'secure', type: 'DS', value: `12345 13 2 ${'ab'.repeat(32)}` },
    ];
    const r = await h.call('POST', `/v1/zones/${zone}/records/batch`, h.adminA, {
      operations: records.map((record) => ({ op: 'create', record: { ...record, ttl: 3600 } })),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }

  test('enable (defaults: 13, NSEC3, KSK+ZSK): keys, DS for the registrar, a zone validators accept', async () => {
    const zone = 'signed.example.';
    await makeZone(zone);
    const r = await h.call('PUT', `/v1/zones/${zone}/dnssec`, h.adminA, { enabled: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.state).toBe('signed');
    expect(
      r.body.keys.map((k: { role: string; state: string; algorithm: number }) => [
        k.role,
        k.state,
        k.algorithm,
      ]),
    ).toEqual([
      ['ksk', 'active', 13],
      ['zsk', 'active', 13],
    ]);
    expect(r.body.ds).toHaveLength(1);
    expect(r.body.ds[0]).toMatch(new RegExp(`^${zone} \\d+ IN DS ${r.body.keys[0].tag} 13 2 [0-9A-F]{64}$`));
    expect(r.body.dnskey[0]).toMatch(/ IN DNSKEY 257 3 13 /);
    expect(JSON.stringify(r.body)).not.toMatch(/sealed|privateKey/);
    const text = await exportText(zone);
    expect(text).toMatch(/NSEC3PARAM\s+1 0 0 -/);
    expect(text).toMatch(/\sCDS\s/);
    expect(await validate(text, zone)).toBe('');

    // A one-record change is signed in its own change set: the edges get the signatures with it.
    const before = (await h.call('GET', `/v1/zones/${zone}`, h.adminA)).body.serial;
    const add = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
      name: 'new',
      type: 'A',
      value: '192.0.2.9',
      ttl: 300,
    });
    expect(add.status).toBe(201);
    const changes = await h.call('GET', `/v1/zones/${zone}/changes?since=${before}`, h.adminA);
    const added: string[] = changes.body.changes[0].added;
    expect(added.some((l) => /^new\.signed\.example\.\s+300\s+IN\s+A\s/.test(l))).toBe(true);
    expect(added.some((l) => /^new\.signed\.example\.\s+300\s+IN\s+RRSIG\s+A 13 3 300 /.test(l))).toBe(true);
    expect(added.some((l) => /\sIN\s+NSEC3\s+1 0 0 - /.test(l))).toBe(true);
    expect(added.some((l) => /\sIN\s+RRSIG\s+SOA /.test(l))).toBe(true);
    expect(added.length).toBeLessThan(20);
    expect(await validate(await exportText(zone), zone)).toBe('');

    // DNSSEC records are herald's to write while the zone is signed.
    const forged = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
      name: '@',
      type: 'DNSKEY',
      value: '256 3 13 ' + Buffer.alloc(64, 1).toString('base64'),
      ttl: 3600,
    });
    expect(forged.status).toBe(409);
    expect(forged.body.detail).toMatch(/managed by herald/);

    // Other orgs see nothing.
    expect((await h.call('GET', `/v1/zones/${zone}/dnssec`, h.adminB)).status).toBe(404);
    const audit = await h.call('GET', `/v1/audit?zone=${zone}&limit=100`, h.adminA);
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toContain('dnssec.enabled');
  });

  test('algorithm 15 with NSEC and a CSK; an emergency ZSK rollover on a KSK/ZSK zone; disable before any DS removes everything', async () => {
    const zone = 'csk.example.';
    await makeZone(zone);
    const r = await h.call('PUT', `/v1/zones/${zone}/dnssec`, h.adminA, {
      enabled: true,
      algorithm: 15,
      denial: 'nsec',
      keys: 'csk',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.keys.map((k: { role: string }) => k.role)).toEqual(['csk']);
    expect(await validate(await exportText(zone), zone, true)).toBe('');

    const zone2 = 'roll.example.';
    await makeZone(zone2);
    expect((await h.call('PUT', `/v1/zones/${zone2}/dnssec`, h.adminA, { enabled: true })).status).toBe(200);
    const rolled = await h.call('POST', `/v1/zones/${zone2}/dnssec/rollover`, h.adminA, {
      role: 'zsk',
      emergency: true,
    });
    expect(rolled.status, JSON.stringify(rolled.body)).toBe(200);
    const zsks = rolled.body.keys.filter((k: { role: string }) => k.role === 'zsk');
    expect(zsks.map((k: { state: string }) => k.state)).toEqual(['retired', 'active']);
    const text = await exportText(zone2);
    expect(await validate(text, zone2)).toBe('');
    // Every signature over data is by the new ZSK; the retired one stays published.
    const sigs = text.match(/RRSIG\s+A 13 \d+ \d+ \d+ \d+ \d+/g)!;
    expect(sigs.length).toBeGreaterThanOrEqual(3);
    expect(sigs.every((l) => l.endsWith(` ${zsks[1].tag}`))).toBe(true);

    const off = await h.call('PUT', `/v1/zones/${zone}/dnssec`, h.adminA, { enabled: false });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body.state).toBe('unsigned');
    expect(await exportText(zone)).not.toMatch(/RRSIG|NSEC|DNSKEY|CDS/);
  });

  test('bad requests are rejected by field and change nothing', async () => {
    const zone = 'bad.example.';
    await makeZone(zone);
    const serial = (await h.call('GET', `/v1/zones/${zone}`, h.adminA)).body.serial;
    const cases: [unknown, string][] = [
      [{ enabled: true, algorithm: 8 }, 'algorithm'],
      [{ enabled: true, denial: 'nsec', nsec3: { iterations: 0 } }, 'nsec3'],
      [{ enabled: true, nsec3: { iterations: 10 } }, 'nsec3.iterations'],
      [{ enabled: false, algorithm: 13 }, 'algorithm'],
      [{ enabled: true, refreshDays: 20 }, 'refreshDays'],
      [{ enabled: 'yes' }, 'enabled'],
      [{ enabled: true, colour: 'blue' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const r = await h.call('PUT', `/v1/zones/${zone}/dnssec`, h.adminA, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await h.call('PUT', `/v1/zones/${zone}/dnssec`, h.adminA, { enabled: false })).status).toBe(409);
    expect((await h.call('GET', `/v1/zones/${zone}`, h.adminA)).body.serial).toBe(serial);
    expect((await h.call('GET', `/v1/zones/${zone}/dnssec`, h.adminA)).body.state).toBe('unsigned');

    // Changing the algorithm of a signed zone would need an algorithm rollover.
    expect((await h.call('PUT', `/v1/zones/${zone}/dnssec`, h.adminA, { enabled: true })).status).toBe(200);
    const alg = await h.call('PUT', `/v1/zones/${zone}/dnssec`, h.adminA, { enabled: true, algorithm: 15 });
    expect(alg.status).toBe(409);
    expect(alg.body.errors[0].field).toBe('algorithm');

    // A master key the private keys were not sealed under: a clear error, nothing written.
    const signedSerial = (await h.call('GET', `/v1/zones/${zone}`, h.adminA)).body.serial;
    const good = box.inner;
    box.inner = new AesGcmSecretBox(randomBytes(32));
    try {
      const r = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'x',
        type: 'A',
        value: '192.0.2.7',
        ttl: 300,
      });
      expect(r.status).toBe(503);
      expect(r.body.detail).toMatch(/does not decrypt with this HERALD_MASTER_KEY/);
      expect((await h.call('GET', `/v1/zones/${zone}`, h.adminA)).body.serial).toBe(signedSerial);
      expect((await h.call('GET', `/v1/zones/${zone}/records?name=x`, h.adminA)).body.records).toEqual([]);
    } finally {
      box.inner = good;
    }
    expect(
      (
        await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
          name: 'x',
          type: 'A',
          value: '192.0.2.7',
          ttl: 300,
        })
      ).status,
    ).toBe(201);
    expect(await validate(await exportText(zone), zone)).toBe('');
  });
});
