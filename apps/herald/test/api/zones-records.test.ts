import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS, startHarness, type Harness } from './harness.js';

describe.each(BACKENDS)('on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  }, 60_000);
  afterAll(async () => h?.close());

  const zoneBody = (name: string) => ({ name, nameservers: ['ns1.example.net.', 'ns2.example.net.'] });

  async function serialOf(zone: string): Promise<number> {
    const r = await h.call('GET', `/v1/zones/${zone}`, h.adminA);
    expect(r.status).toBe(200);
    return r.body.serial;
  }

  describe('zones', () => {
    test('create, get, list, delete', async () => {
      const created = await h.call('POST', '/v1/zones', h.adminA, zoneBody('Zones.Example'));
      expect(created.status).toBe(201);
      expect(created.body.name).toBe('zones.example.');
      expect(created.headers.get('etag')).toBe(`"${created.body.serial}"`);
      expect(h.published).toContainEqual({ zone: 'zones.example.', serial: created.body.serial });

      const got = await h.call('GET', '/v1/zones/zones.example.', h.adminA);
      expect(got.status).toBe(200);
      expect(got.body.nameservers).toEqual(['ns1.example.net.', 'ns2.example.net.']);
      expect(got.body.recordCount).toBe(3);
      expect(got.body.soa).toMatch(
        /^ns1\.example\.net\. hostmaster\.zones\.example\. [0-9]+ 7200 900 1209600 300$/,
      );

      const list = await h.call('GET', '/v1/zones', h.adminA);
      expect(list.body.zones.map((z: { name: string }) => z.name)).toContain('zones.example.');

      expect((await h.call('DELETE', '/v1/zones/zones.example', h.adminA)).status).toBe(204);
      expect((await h.call('GET', '/v1/zones/zones.example.', h.adminA)).status).toBe(404);
      expect(h.published.at(-1)).toMatchObject({ zone: 'zones.example.', deleted: true });
    });

    test('a duplicate name is 409; a bad name is 422 naming the field', async () => {
      expect((await h.call('POST', '/v1/zones', h.adminA, zoneBody('dup.example'))).status).toBe(201);
      const again = await h.call('POST', '/v1/zones', h.adminA, zoneBody('dup.example.'));
      expect(again.status).toBe(409);
      expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const bad = await h.call('POST', '/v1/zones', h.adminA, zoneBody('bad..example'));
      expect(bad.status).toBe(422);
      expect(bad.body.errors[0]).toMatchObject({ field: 'name', code: 'name.empty-label' });
    });
  });

  describe('records', () => {
    const zone = 'records.example.';
    beforeAll(async () => {
      expect((await h.call('POST', '/v1/zones', h.adminA, zoneBody(zone))).status).toBe(201);
    });

    test('create is normalised, bumps the serial once, and re-applying it is a no-op', async () => {
      const before = await serialOf(zone);
      const r = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'www',
        type: 'aaaa',
        value: '2001:DB8:0::1',
        ttl: 300,
      });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        zone,
        name: 'www',
        type: 'AAAA',
        value: '2001:db8::1',
        ttl: 300,
        metadata: {},
      });
      const after = await serialOf(zone);
      expect(after).toBe(before + 1);
      const again = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'www.records.example.',
        type: 'AAAA',
        value: '2001:db8::1',
        ttl: 300,
      });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(r.body.id);
      expect(await serialOf(zone)).toBe(after);
    });

    test('invalid values are 422 naming the field and the RFC; nothing changes', async () => {
      const before = await serialOf(zone);
      const r = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'mx',
        type: 'MX',
        value: 'ten mail',
      });
      expect(r.status).toBe(422);
      expect(r.body.errors).toEqual([expect.objectContaining({ field: 'value', code: 'field.integer' })]);
      const out = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'x.other.example.',
        type: 'A',
        value: '192.0.2.1',
      });
      expect(out.status).toBe(422);
      expect(out.body.errors[0]).toMatchObject({ field: 'name', code: 'out-of-zone' });
      expect(await serialOf(zone)).toBe(before);
    });

    test('zone rules see the end state: CNAME beside data is refused, an A -> CNAME swap in one batch works either way', async () => {
      const a = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'swap',
        type: 'A',
        value: '192.0.2.7',
      });
      expect(a.status).toBe(201);
      const clash = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'swap',
        type: 'CNAME',
        value: 'www',
      });
      expect(clash.status).toBe(422);
      expect(clash.body.errors[0]).toMatchObject({ code: 'cname-exclusive' });
      expect(clash.body.errors[0].rfc).toMatch(/RFC/);

      const swap = await h.call('POST', `/v1/zones/${zone}/records/batch`, h.adminA, {
        operations: [
          { op: 'create', record: { name: 'swap', type: 'CNAME', value: 'www' } },
          { op: 'delete', id: a.body.id },
        ],
      });
      expect(swap.status).toBe(200);
      expect(swap.body.changed).toBe(true);
      const list = await h.call('GET', `/v1/zones/${zone}/records?name=swap`, h.adminA);
      expect(list.body.records.map((r: { type: string; value: string }) => `${r.type} ${r.value}`)).toEqual([
        `CNAME www.${zone}`,
      ]);
    });

    test('a bad operation in the middle of a batch leaves the zone and serial untouched', async () => {
      const before = await serialOf(zone);
      const count = (await h.call('GET', `/v1/zones/${zone}`, h.adminA)).body.recordCount;
      const r = await h.call('POST', `/v1/zones/${zone}/records/batch`, h.adminA, {
        operations: [
          { op: 'create', record: { name: 'b1', type: 'A', value: '192.0.2.1' } },
          { op: 'create', record: { name: 'b2', type: 'A', value: 'not-an-address' } },
          { op: 'create', record: { name: 'b3', type: 'A', value: '192.0.2.3' } },
        ],
      });
      expect(r.status).toBe(422);
      expect(r.body.errors).toEqual([expect.objectContaining({ field: 'operations[1].record.value' })]);
      expect(await serialOf(zone)).toBe(before);
      expect((await h.call('GET', `/v1/zones/${zone}`, h.adminA)).body.recordCount).toBe(count);
    });

    test('If-Match with a stale serial is 412 and changes nothing', async () => {
      const serial = await serialOf(zone);
      const ok = await h.call(
        'POST',
        `/v1/zones/${zone}/records`,
        h.adminA,
        { name: 'im1', type: 'TXT', value: '"x"' },
        { 'if-match': `"${serial}"` },
      );
      expect(ok.status).toBe(201);
      const stale = await h.call(
        'POST',
        `/v1/zones/${zone}/records`,
        h.adminA,
        { name: 'im2', type: 'TXT', value: '"y"' },
        { 'if-match': `"${serial}"` },
      );
      expect(stale.status).toBe(412);
      expect((await h.call('GET', `/v1/zones/${zone}/records?name=im2`, h.adminA)).body.records).toEqual([]);
    });

    test('update keeps the id; platform-managed records need force', async () => {
      const r = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'managed',
        type: 'TXT',
        value: '"v1"',
        metadata: { managed_by: 'cert-manager' },
      });
      expect(r.status).toBe(201);
      const body = { name: 'managed', type: 'TXT', value: '"v2"' };
      const refused = await h.call('PUT', `/v1/zones/${zone}/records/${r.body.id}`, h.adminA, body);
      expect(refused.status).toBe(422);
      expect(refused.body.errors[0]).toMatchObject({ code: 'managed-record', field: 'force' });
      const forced = await h.call('PUT', `/v1/zones/${zone}/records/${r.body.id}`, h.adminA, {
        ...body,
        force: true,
      });
      expect(forced.status).toBe(200);
      expect(forced.body).toMatchObject({
        id: r.body.id,
        value: '"v2"',
        metadata: { managed_by: 'cert-manager' },
      });
      expect((await h.call('DELETE', `/v1/zones/${zone}/records/${r.body.id}`, h.adminA)).status).toBe(422);
      expect(
        (await h.call('DELETE', `/v1/zones/${zone}/records/${r.body.id}?force=true`, h.adminA)).status,
      ).toBe(204);
    });

    test('50 concurrent writers: serial +50 and every write present', async () => {
      const before = await serialOf(zone);
      const writes = Array.from({ length: 50 }, (_, i) =>
        h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
          name: `c${i}`,
          type: 'A',
          value: `198.51.100.${i}`,
        }),
      );
      const replies = await Promise.all(writes);
      expect(replies.map((r) => r.status)).toEqual(Array(50).fill(201));
      expect(await serialOf(zone)).toBe(before + 50);
      for (let i = 0; i < 50; i += 7) {
        const got = await h.call('GET', `/v1/zones/${zone}/records?name=c${i}&type=A`, h.adminA);
        expect(got.body.records.map((x: { value: string }) => x.value)).toEqual([`198.51.100.${i}`]);
      }
    });

    test('a record is read by id; unknown ids and foreign cursors are specific errors', async () => {
      const made = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'byid',
        type: 'TXT',
        value: '"x"',
      });
      const got = await h.call('GET', `/v1/zones/${zone}/records/${made.body.id}`, h.adminA);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(made.body);
      expect(
        (await h.call('GET', `/v1/zones/${zone}/records/00000000-0000-0000-0000-000000000000`, h.adminA))
          .status,
      ).toBe(404);
      const bad = await h.call('GET', `/v1/zones/${zone}/records?cursor=garbage`, h.adminA);
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0]).toMatchObject({ field: 'cursor' });
    });

    test('pagination walks every record once', async () => {
      const seen = new Set<string>();
      let cursor: string | undefined;
      do {
        const r = await h.call(
          'GET',
          `/v1/zones/${zone}/records?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          h.adminA,
        );
        expect(r.status).toBe(200);
        for (const x of r.body.records) {
          expect(seen.has(x.id)).toBe(false);
          seen.add(x.id);
        }
        cursor = r.body.next;
      } while (cursor);
      expect(seen.size).toBe((await h.call('GET', `/v1/zones/${zone}`, h.adminA)).body.recordCount);
    });
  });

  describe('metadata, RRset replace, unknown ids, batch results', () => {
    const zone = 'meta.example.';
    beforeAll(async () => {
      expect((await h.call('POST', '/v1/zones', h.adminA, zoneBody(zone))).status).toBe(201);
    });

    test('a metadata-only PUT is stored and audited; the serial does not move and nothing is published', async () => {
      const made = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'm',
        type: 'A',
        value: '192.0.2.1',
        ttl: 300,
      });
      expect(made.status).toBe(201);
      const serial = await serialOf(zone);
      const published = h.published.length;
      const put = await h.call('PUT', `/v1/zones/${zone}/records/${made.body.id}`, h.adminA, {
        name: 'm',
        type: 'A',
        value: '192.0.2.1',
        ttl: 300,
        metadata: { owner: 'team-a' },
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ id: made.body.id, metadata: { owner: 'team-a' } });
      expect(put.headers.get('etag')).toBe(`"${serial}"`);
      const got = await h.call('GET', `/v1/zones/${zone}/records/${made.body.id}`, h.adminA);
      expect(got.body.metadata).toEqual({ owner: 'team-a' });
      expect(await serialOf(zone)).toBe(serial);
      expect(h.published.length).toBe(published);
      const audit = await h.call('GET', `/v1/audit?zone=${zone}&action=record.update`, h.adminA);
      expect(audit.body.entries[0]).toMatchObject({
        before: { id: made.body.id, metadata: {} },
        after: { metadata: { owner: 'team-a' } },
      });
      // The same metadata again is a no-op: no second audit entry.
      await h.call('PUT', `/v1/zones/${zone}/records/${made.body.id}`, h.adminA, {
        name: 'm',
        type: 'A',
        value: '192.0.2.1',
        ttl: 300,
        metadata: { owner: 'team-a' },
      });
      expect(
        (await h.call('GET', `/v1/audit?zone=${zone}&action=record.update`, h.adminA)).body.entries,
      ).toHaveLength(1);
    });

    test('force with empty metadata clears managed_by, audited as forced', async () => {
      const made = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'acme',
        type: 'TXT',
        value: '"token"',
        metadata: { managed_by: 'cert-manager' },
      });
      expect(made.status).toBe(201);
      const body = { name: 'acme', type: 'TXT', value: '"token"', metadata: {} };
      const refused = await h.call('PUT', `/v1/zones/${zone}/records/${made.body.id}`, h.adminA, body);
      expect(refused.status).toBe(422);
      const forced = await h.call('PUT', `/v1/zones/${zone}/records/${made.body.id}`, h.adminA, {
        ...body,
        force: true,
      });
      expect(forced.status).toBe(200);
      expect(forced.body.metadata).toEqual({});
      expect(
        (await h.call('GET', `/v1/zones/${zone}/records/${made.body.id}`, h.adminA)).body.metadata,
      ).toEqual({});
      const audit = await h.call('GET', `/v1/audit?zone=${zone}&action=record.update`, h.adminA);
      expect(audit.body.entries[0]).toMatchObject({
        before: { id: made.body.id, metadata: { managed_by: 'cert-manager' } },
        forced: true,
      });
      // No longer managed: a plain delete works.
      expect((await h.call('DELETE', `/v1/zones/${zone}/records/${made.body.id}`, h.adminA)).status).toBe(
        204,
      );
    });

    test('a metadata change beside a DNS change in one batch is stored too', async () => {
      const made = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'mb',
        type: 'A',
        value: '192.0.2.2',
        ttl: 300,
      });
      const r = await h.call('POST', `/v1/zones/${zone}/records/batch`, h.adminA, {
        operations: [
          {
            op: 'update',
            id: made.body.id,
            record: { name: 'mb', type: 'A', value: '192.0.2.2', ttl: 300, metadata: { k: 1 } },
          },
          { op: 'create', record: { name: 'mb2', type: 'A', value: '192.0.2.3' } },
        ],
      });
      expect(r.status).toBe(200);
      expect(r.body.records.map((x: { name: string; metadata: object }) => [x.name, x.metadata])).toEqual([
        ['mb', { k: 1 }],
        ['mb2', {}],
      ]);
      expect(
        (await h.call('GET', `/v1/zones/${zone}/records/${made.body.id}`, h.adminA)).body.metadata,
      ).toEqual({
        k: 1,
      });
    });

    test('RRset replace audits what was there; empty values delete the RRset (managed ones need force)', async () => {
      const set = await h.call('POST', `/v1/zones/${zone}/records/batch`, h.adminA, {
        operations: [
          { op: 'replace', name: 'rs', type: 'A', ttl: 300, values: ['192.0.2.10', '192.0.2.11'] },
        ],
      });
      expect(set.status).toBe(200);
      const again = await h.call('POST', `/v1/zones/${zone}/records/batch`, h.adminA, {
        operations: [{ op: 'replace', name: 'rs', type: 'A', ttl: 300, values: ['192.0.2.12'] }],
      });
      expect(again.status).toBe(200);
      const audit = await h.call('GET', `/v1/audit?zone=${zone}&action=rrset.replace`, h.adminA);
      expect(audit.body.entries[0].before.records.map((x: { value: string }) => x.value).sort()).toEqual([
        '192.0.2.10',
        '192.0.2.11',
      ]);
      expect(audit.body.entries[0].after).toMatchObject({ values: ['192.0.2.12'] });

      const serial = await serialOf(zone);
      const emptied = await h.call('POST', `/v1/zones/${zone}/records/batch`, h.adminA, {
        operations: [{ op: 'replace', name: 'rs', type: 'A', values: [] }],
      });
      expect(emptied.status).toBe(200);
      expect(emptied.body.changed).toBe(true);
      expect(await serialOf(zone)).toBe(serial + 1);
      expect((await h.call('GET', `/v1/zones/${zone}/records?name=rs`, h.adminA)).body.records).toEqual([]);

      await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'rsm',
        type: 'TXT',
        value: '"m"',
        metadata: { managed_by: 'external-dns' },
      });
      const refused = await h.call('POST', `/v1/zones/${zone}/records/batch`, h.adminA, {
        operations: [{ op: 'replace', name: 'rsm', type: 'TXT', values: [] }],
      });
      expect(refused.status).toBe(422);
      expect(refused.body.errors).toEqual([
        expect.objectContaining({ field: 'operations[0].force', code: 'managed-record' }),
      ]);
      const forced = await h.call('POST', `/v1/zones/${zone}/records/batch`, h.adminA, {
        operations: [{ op: 'replace', name: 'rsm', type: 'TXT', values: [], force: true }],
      });
      expect(forced.status).toBe(200);
      expect((await h.call('GET', `/v1/zones/${zone}/records?name=rsm`, h.adminA)).body.records).toEqual([]);
      const bad = await h.call('POST', `/v1/zones/${zone}/records/batch`, h.adminA, {
        operations: [{ op: 'replace', name: 'rs', type: 'A', values: ['192.0.2.1', 'nope'] }],
      });
      expect(bad.status).toBe(422);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'operations[0].values[1]' })]);
    });

    test('PUT and DELETE of an unknown record id are 404 like GET; a batch names the operation (422)', async () => {
      const none = '00000000-0000-0000-0000-000000000000';
      const put = await h.call('PUT', `/v1/zones/${zone}/records/${none}`, h.adminA, {
        name: 'x',
        type: 'A',
        value: '192.0.2.1',
      });
      expect(put.status).toBe(404);
      expect(put.headers.get('content-type')).toMatch(/problem\+json/);
      expect((await h.call('DELETE', `/v1/zones/${zone}/records/${none}`, h.adminA)).status).toBe(404);
      expect((await h.call('DELETE', `/v1/zones/${zone}/records/not-a-uuid`, h.adminA)).status).toBe(404);
      const batch = await h.call('POST', `/v1/zones/${zone}/records/batch`, h.adminA, {
        operations: [{ op: 'delete', id: none }],
      });
      expect(batch.status).toBe(422);
      expect(batch.body.errors).toEqual([
        expect.objectContaining({ field: 'operations[0].id', code: 'not-found' }),
      ]);
    });

    test('a batch returns every record it names, also no-ops in an RRset of more than 1,000', async () => {
      const operations = Array.from({ length: 1001 }, (_, i) => ({
        op: 'create',
        record: { name: 'big', type: 'TXT', value: `"v${i}"` },
      }));
      const first = await h.call('POST', `/v1/zones/${zone}/records/batch`, h.adminA, { operations });
      expect(first.status).toBe(200);
      expect(first.body.records).toHaveLength(1001);
      const again = await h.call('POST', `/v1/zones/${zone}/records/batch`, h.adminA, { operations });
      expect(again.status).toBe(200);
      expect(again.body.changed).toBe(false);
      expect(again.body.records).toHaveLength(1001);
      expect(again.body.records.map((x: { id: string }) => x.id)).toEqual(
        first.body.records.map((x: { id: string }) => x.id),
      );
    });
  });

  describe('auth and tenancy', () => {
    const zone = 'tenant-a.example.';
    beforeAll(async () => {
      expect((await h.call('POST', '/v1/zones', h.adminA, zoneBody(zone))).status).toBe(201);
    });

    test('no token and a bad token are 401 with WWW-Authenticate', async () => {
      for (const token of [
        undefined,
        'nonsense',
        'hk_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ]) {
        const r = await h.call('GET', '/v1/zones', token);
        expect(r.status).toBe(401);
        expect(r.headers.get('www-authenticate')).toBe('Bearer');
      }
    });

    test("another org's zone is 404, exactly like a zone that does not exist", async () => {
      const theirs = await h.call('GET', `/v1/zones/${zone}`, h.adminB);
      const none = await h.call('GET', '/v1/zones/nothing-here.example.', h.adminB);
      expect(theirs.status).toBe(404);
      expect(none.status).toBe(404);
      expect(theirs.body.title).toBe(none.body.title);
      expect(
        (await h.call('GET', '/v1/zones', h.adminB)).body.zones.map((z: { name: string }) => z.name),
      ).not.toContain(zone);
      expect(
        (
          await h.call('POST', `/v1/zones/${zone}/records`, h.adminB, {
            name: 'x',
            type: 'A',
            value: '192.0.2.1',
          })
        ).status,
      ).toBe(404);
      expect((await h.call('DELETE', `/v1/zones/${zone}`, h.adminB)).status).toBe(404);
    });

    test('a viewer reads but cannot write; a key cannot mint a stronger key; revoked keys stop working', async () => {
      const minted = await h.call('POST', '/v1/apikeys', h.adminA, { role: 'viewer' });
      expect(minted.status).toBe(201);
      expect(minted.headers.get('cache-control')).toBe('no-store');
      const viewer = minted.body.token as string;
      expect((await h.call('GET', `/v1/zones/${zone}`, viewer)).status).toBe(200);
      const write = await h.call('POST', `/v1/zones/${zone}/records`, viewer, {
        name: 'v',
        type: 'A',
        value: '192.0.2.1',
      });
      expect(write.status).toBe(403);
      expect((await h.call('POST', '/v1/apikeys', viewer, { role: 'viewer' })).status).toBe(403);

      const scoped = await h.call('POST', '/v1/apikeys', h.adminA, { role: 'admin', zones: [zone] });
      const stronger = await h.call('POST', '/v1/apikeys', scoped.body.token, { role: 'admin' });
      expect(stronger.status).toBe(422);
      expect(stronger.body.errors[0]).toMatchObject({ field: 'zones', code: 'escalation' });

      const listed = await h.call('GET', '/v1/apikeys', h.adminA);
      expect(JSON.stringify(listed.body)).not.toContain(viewer.slice('hk_00000000_'.length));
      expect((await h.call('DELETE', `/v1/apikeys/${minted.body.key.id}`, h.adminA)).status).toBe(204);
      const audit = await h.call('GET', '/v1/audit?action=apikey.create', h.adminA);
      expect(audit.body.entries.map((e: { after: { id: string } }) => e.after.id)).toContain(
        minted.body.key.id,
      );
      expect(JSON.stringify(audit.body)).not.toContain(viewer.slice('hk_00000000_'.length));
      const revoked = await h.call('GET', '/v1/audit?action=apikey.revoke', h.adminA);
      expect(revoked.body.entries[0]).toMatchObject({
        action: 'apikey.revoke',
        before: { id: minted.body.key.id },
      });
      expect((await h.call('GET', `/v1/zones/${zone}`, viewer)).status).toBe(401);
    });
  });

  describe('edge keys', () => {
    test("only the operator org mints them; they read every org's zones, export and changes, and write nothing", async () => {
      const refused = await h.call('POST', '/v1/apikeys', h.adminA, { role: 'edge' });
      expect(refused.status).toBe(422);
      expect(refused.body.errors[0]).toMatchObject({ field: 'role', code: 'escalation' });
      const minted = await h.call('POST', '/v1/apikeys', h.operator, { role: 'edge' });
      expect(minted.status).toBe(201);
      const edge = minted.body.token as string;
      const zoneOfA = 'tenant-a.example.';
      const listed = await h.call('GET', '/v1/zones', edge);
      expect(listed.body.zones.map((z: { name: string }) => z.name)).toEqual(
        expect.arrayContaining([zoneOfA, 'records.example.']),
      );
      const exported = await fetch(`${h.url}/v1/zones/${zoneOfA}/export`, {
        headers: { authorization: `Bearer ${edge}` },
      });
      expect(exported.status).toBe(200);
      expect(await exported.text()).toContain('SOA');
      const serial = (await h.call('GET', `/v1/zones/${zoneOfA}`, edge)).body.serial;
      expect(
        (await h.call('GET', `/v1/zones/${zoneOfA}/changes?since=${serial}`, edge)).body.changes,
      ).toEqual([]);
      expect(
        (
          await h.call('POST', `/v1/zones/${zoneOfA}/records`, edge, {
            name: 'x',
            type: 'A',
            value: '192.0.2.1',
          })
        ).status,
      ).toBe(403);
      expect((await h.call('DELETE', `/v1/zones/${zoneOfA}`, edge)).status).toBe(403);
      // Tenants still see only their own zones.
      expect(
        (await h.call('GET', '/v1/zones', h.adminB)).body.zones.map((z: { name: string }) => z.name),
      ).not.toContain(zoneOfA);
    });
  });

  describe('bad input', () => {
    test('wrong content type is 415, malformed JSON 400, oversized body 413, unknown fields 400 — each problem+json', async () => {
      const res415 = await fetch(`${h.url}/v1/zones`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.adminA}`, 'content-type': 'text/plain' },
        body: 'name=x',
      });
      expect(res415.status).toBe(415);
      const malformed = await h.call('POST', '/v1/zones', h.adminA, '{"name": ');
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get('content-type')).toMatch(/problem\+json/);
      const huge = await h.call('POST', '/v1/zones', h.adminA, { name: 'x'.repeat(2_000_000) });
      expect(huge.status).toBe(413);
      const unknown = await h.call('POST', '/v1/zones', h.adminA, { name: 'u.example', tll: 5 });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([
        expect.objectContaining({ field: 'tll', code: 'body.unknown-field' }),
      ]);
      expect((await h.call('GET', '/v1/zones/u.example.', h.adminA)).status).toBe(404);
    });

    test('a POST with no body at all (as curl -X POST sends it) is read as an empty body, not 415', async () => {
      const url = new URL(h.url);
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(url.port), url.hostname, () =>
          socket.write(
            `POST /v1/zones HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${h.adminA}\r\nConnection: close\r\n\r\n`,
          ),
        );
        let text = '';
        socket.on('data', (d) => (text += d.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
      expect(raw).toContain('must be a JSON object');
    });

    test('OpenAPI is served', async () => {
      const r = await h.call('GET', '/docs-json', undefined);
      expect(r.status).toBe(200);
      expect(Object.keys(r.body.paths)).toEqual(
        expect.arrayContaining([
          '/v1/zones',
          '/v1/zones/{zone}/records/batch',
          '/v1/zones/{zone}/import',
          '/v1/audit',
        ]),
      );
      const create = r.body.paths['/v1/zones/{zone}/records'].post;
      expect(create.requestBody.content['application/json'].schema.required).toEqual([
        'name',
        'type',
        'value',
      ]);
      expect(Object.keys(create.responses)).toEqual(
        expect.arrayContaining(['200', '201', '400', '401', '403', '412', '415', '422', '429']),
      );
      expect(
        create.responses['422'].content['application/problem+json'].schema.properties.errors,
      ).toBeDefined();
      expect(create.security).toEqual([{ bearer: [] }]);
    });
  });
});
