// Regressions for review findings: scoping of key management, canonical
// scopes, field-by-field SOA construction, and hostile input answered 4xx.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
const zone = 'hard.example.';
beforeAll(async () => {
  h = await startHarness('pglite');
  expect(
    (await h.call('POST', '/v1/zones', h.adminA, { name: zone, nameservers: ['ns.example.net.'] })).status,
  ).toBe(201);
}, 60_000);
afterAll(async () => h?.close());

describe('key management by a zone-scoped admin', () => {
  test('it sees and revokes only keys inside its scope; scopes are stored canonical', async () => {
    const scoped = await h.call('POST', '/v1/apikeys', h.adminA, { role: 'admin', zones: ['HARD.Example'] });
    expect(scoped.status).toBe(201);
    expect(scoped.body.key.zones).toEqual([zone]);
    const token = scoped.body.token as string;
    // The canonical scope works: the key reaches its zone.
    expect((await h.call('GET', `/v1/zones/${zone}`, token)).status).toBe(200);

    const all = await h.call('GET', '/v1/apikeys', h.adminA);
    const unscoped = all.body.keys.find((k: { zones?: string[] }) => !k.zones);
    const visible = await h.call('GET', '/v1/apikeys', token);
    expect(visible.body.keys.every((k: { zones?: string[] }) => k.zones?.every((z) => z === zone))).toBe(
      true,
    );
    expect((await h.call('DELETE', `/v1/apikeys/${unscoped.id}`, token)).status).toBe(404);
    expect((await h.call('GET', '/v1/zones', h.adminA)).status).toBe(200);
  });

  test('malformed zone scopes are 422 naming the entry', async () => {
    const r = await h.call('POST', '/v1/apikeys', h.adminA, {
      role: 'viewer',
      zones: ['ok.example', 'bad..example'],
    });
    expect(r.status).toBe(422);
    expect(r.body.errors[0]).toMatchObject({ field: 'zones[1]' });
  });
});

describe('zone creation builds SOA and NS field by field', () => {
  test('text smuggled into soa.mname is refused, not pasted into the SOA', async () => {
    const r = await h.call('POST', '/v1/zones', h.adminA, {
      name: 'inj.example',
      soa: { mname: 'ns.evil. evil. 99 1 1 1 1 ;' },
    });
    expect(r.status).toBe(422);
    expect(r.body.errors[0]).toMatchObject({ field: 'soa.mname' });
    expect((await h.call('GET', '/v1/zones/inj.example', h.adminA)).status).toBe(404);
  });

  test('unknown soa fields and out-of-range TTLs are 4xx naming the field', async () => {
    const unknown = await h.call('POST', '/v1/zones', h.adminA, { name: 'u1.example', soa: { serial: 5 } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'soa.serial', code: 'body.unknown-field' });
    for (const ttl of [99999999999, -5]) {
      const r = await h.call('POST', '/v1/zones', h.adminA, { name: 'u2.example', ttl });
      expect(r.status, String(ttl)).toBe(422);
      expect(r.body.errors[0]).toMatchObject({ field: 'ttl' });
    }
  });

  test("the zone's first change set holds the records written, so the log can be followed from 0", async () => {
    const r = await h.call('GET', `/v1/zones/${zone}/changes?since=0`, h.adminA);
    expect(r.status).toBe(200);
    expect(r.body.changes[0].previousSerial).toBe(0);
    expect(r.body.changes[0].added.some((l: string) => l.includes('\tSOA\t'))).toBe(true);
    expect(r.body.changes[0].added.some((l: string) => l.includes('\tNS\tns.example.net.'))).toBe(true);
  });
});

describe('hostile input is a specific 4xx, never a 500', () => {
  test('repeated or nested query parameters', async () => {
    for (const q of ['type=A&type=AAAA', 'name=a&name=b', 'type[x]=A']) {
      const r = await h.call('GET', `/v1/zones/${zone}/records?${q}`, h.adminA);
      expect(r.status, q).toBe(400);
    }
    expect((await h.call('GET', `/v1/audit?zone=a&zone=b`, h.adminA)).status).toBe(400);
  });

  test('NUL in metadata, NUL in a cursor, prototype-named fields', async () => {
    const nul = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
      name: 'n',
      type: 'A',
      value: '192.0.2.1',
      metadata: { x: '\u0000' },
    });
    expect(nul.status).toBe(422);
    expect(nul.body.errors[0]).toMatchObject({ field: 'metadata', code: 'metadata.nul' });
    const cursor = Buffer.from(
      JSON.stringify(['\u0000', 1, '00000000-0000-4000-8000-000000000000']),
    ).toString('base64url');
    expect((await h.call('GET', `/v1/zones/${zone}/records?cursor=${cursor}`, h.adminA)).status).toBe(400);
    const proto = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
      name: 'b',
      type: 'A',
      value: '192.0.2.2',
      constructor: 1,
      toString: 'x',
    });
    expect(proto.status).toBe(400);
    expect(proto.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'constructor',
      'toString',
    ]);
  });
});
