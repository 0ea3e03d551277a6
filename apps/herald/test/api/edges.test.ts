// The edge registry over HTTP: reports (edge keys only), the operator's list,
// staleness, and per-zone propagation with tenancy. Time is the API's
// injected clock, moved forward by the tests: nothing sleeps.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS, startHarness, type Harness } from './harness.js';

describe.each(BACKENDS)('edges on %s', (backend) => {
  let h: Harness;
  /** Added to the real time by the API's clock. */
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  /** Moves the API's clock forward. */
  const advance = (seconds: number) => (offsetMs += seconds * 1000);

  let edgeKey: string;
  let edgeKeyId: string;
  let operatorViewer: string;
  beforeAll(async () => {
    h = await startHarness(backend, { clock: now });
    const minted = await h.call('POST', '/v1/apikeys', h.operator, { role: 'edge' });
    expect(minted.status).toBe(201);
    edgeKey = minted.body.token;
    edgeKeyId = minted.body.key.id;
    operatorViewer = (await h.call('POST', '/v1/apikeys', h.operator, { role: 'viewer' })).body.token;
  }, 60_000);
  afterAll(async () => h?.close());

  const body = (id: string, zones: unknown[] = [], extra: object = {}) => ({
    id,
    version: '0.1.0',
    startedAt: '2026-11-23T10:00:00.000Z',
    uptimeSeconds: 12.5,
    lastSyncAt: '2026-11-23T10:00:05.000Z',
    zones,
    ...extra,
  });
  const report = (id: string, zones: { zone: string; serial: number }[] = [], extra: object = {}) =>
    h.call('POST', '/v1/edges/report', edgeKey, body(id, zones, extra));
  const listed = async (id: string) =>
    (await h.call('GET', '/v1/edges', h.operator)).body.edges.find((e: { id: string }) => e.id === id);

  test('an edge key reports, and the operator lists it; nothing is audited', async () => {
    const r = await report('fra-1', [
      { zone: 'example.com.', serial: 2026112301 },
      { zone: 'example.net.', serial: 4294967295 },
    ]);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: 'fra-1', lastSeen: expect.any(String), reportIntervalSeconds: 10 });
    expect(Math.abs(Date.parse(r.body.lastSeen) - now().getTime())).toBeLessThan(5_000);

    const list = await h.call('GET', '/v1/edges', h.operator);
    expect(list.status).toBe(200);
    expect(list.body.edges.find((e: { id: string }) => e.id === 'fra-1')).toEqual({
      id: 'fra-1',
      version: '0.1.0',
      startedAt: '2026-11-23T10:00:00.000Z',
      uptimeSeconds: 12.5,
      lastSeen: r.body.lastSeen,
      lastSyncAt: '2026-11-23T10:00:05.000Z',
      status: 'healthy',
      zones: 2,
    });
    // The row records the key that sent the report.
    expect((await h.edgeRegistry.get('fra-1'))?.apiKeyId).toBe(edgeKeyId);
    // Reports are telemetry: the operator org's audit log only shows the keys it minted.
    const audit = await h.call('GET', '/v1/audit', h.operator);
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/^edge/)]),
    );
    expect(audit.body.entries.every((e: { action: string }) => e.action.startsWith('apikey.'))).toBe(true);

    // lastSyncAt may be null or absent before the first sync.
    expect((await report('fra-2', [], { lastSyncAt: null })).status).toBe(200);
    const { lastSyncAt: _, ...withoutSync } = body('fra-3');
    expect((await h.call('POST', '/v1/edges/report', edgeKey, withoutSync)).status).toBe(200);
    expect((await listed('fra-3')).lastSyncAt).toBeNull();
  });

  test('any role of the operator org lists edges; an edge key too', async () => {
    await report('list-1');
    for (const token of [operatorViewer, edgeKey]) {
      const r = await h.call('GET', '/v1/edges', token);
      expect(r.status).toBe(200);
      expect(r.body.edges.map((e: { id: string }) => e.id)).toContain('list-1');
    }
  });

  test('a tenant org cannot list edges: 403', async () => {
    const viewerA = (await h.call('POST', '/v1/apikeys', h.adminA, { role: 'viewer' })).body.token;
    for (const token of [h.adminA, h.adminB, viewerA]) {
      const r = await h.call('GET', '/v1/edges', token);
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect((await h.call('GET', '/v1/edges', undefined)).status).toBe(401);
  });

  test('only edge keys report: every other role is 403 and nothing is stored', async () => {
    const editorA = (await h.call('POST', '/v1/apikeys', h.adminA, { role: 'editor' })).body.token;
    for (const token of [h.operator, operatorViewer, h.adminA, editorA]) {
      const r = await h.call('POST', '/v1/edges/report', token, body('intruder'));
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toMatch(/problem\+json/);
    }
    // Refused before the body is read: a malformed body is still 403.
    expect((await h.call('POST', '/v1/edges/report', h.adminA, '{"id": ')).status).toBe(403);
    expect((await h.call('POST', '/v1/edges/report', undefined, body('intruder'))).status).toBe(401);
    expect(await h.edgeRegistry.get('intruder')).toBeUndefined();
  });

  describe('bad reports are refused naming the field, and nothing is stored', () => {
    const cases: [string, unknown, number, { field: string; code?: string }][] = [
      [
        'an unknown field',
        { ...body('bad-1'), zonez: [] },
        400,
        { field: 'zonez', code: 'body.unknown-field' },
      ],
      ['a missing field', (({ version: _, ...b }) => b)(body('bad-2')), 400, { field: 'version' }],
      ['a mistyped uptime', body('bad-3', [], { uptimeSeconds: '12' }), 400, { field: 'uptimeSeconds' }],
      ['a mistyped lastSyncAt', body('bad-4', [], { lastSyncAt: 5 }), 400, { field: 'lastSyncAt' }],
      [
        'a fractional serial',
        body('bad-5', [{ zone: 'a.example.', serial: 1.5 }]),
        400,
        { field: 'zones[0].serial', code: 'body.type' },
      ],
      [
        'an unknown field in a zone entry',
        body('bad-6', [{ zone: 'a.example.', serial: 1, extra: true }]),
        400,
        { field: 'zones[0].extra' },
      ],
      ['a bad id', body('bad id!'), 422, { field: 'id', code: 'edge.id' }],
      ['an id of 64 characters', body('a'.repeat(64)), 422, { field: 'id' }],
      [
        'a version over 64 characters',
        body('bad-7', [], { version: 'v'.repeat(65) }),
        422,
        { field: 'version' },
      ],
      [
        'a startedAt that is no time',
        body('bad-8', [], { startedAt: 'yesterday' }),
        422,
        { field: 'startedAt' },
      ],
      [
        'a lastSyncAt without offset',
        body('bad-9', [], { lastSyncAt: '2026-11-23T10:00:00' }),
        422,
        { field: 'lastSyncAt' },
      ],
      ['a negative uptime', body('bad-10', [], { uptimeSeconds: -1 }), 422, { field: 'uptimeSeconds' }],
      [
        'a serial past 2^32 - 1',
        body('bad-11', [
          { zone: 'a.example.', serial: 1 },
          { zone: 'b.example.', serial: 4294967296 },
        ]),
        422,
        { field: 'zones[1].serial', code: 'edge.serial' },
      ],
      [
        'a negative serial',
        body('bad-12', [{ zone: 'a.example.', serial: -1 }]),
        422,
        { field: 'zones[0].serial' },
      ],
      [
        'a zone name not in canonical form',
        body('bad-13', [
          { zone: 'a.example.', serial: 1 },
          { zone: 'Example.COM', serial: 1 },
        ]),
        422,
        { field: 'zones[1].zone', code: 'edge.zone-form' },
      ],
      [
        'an invalid zone name',
        body('bad-14', [{ zone: 'bad..example.', serial: 1 }]),
        422,
        { field: 'zones[0].zone' },
      ],
      [
        'a zone listed twice',
        body('bad-15', [
          { zone: 'a.example.', serial: 1 },
          { zone: 'a.example.', serial: 2 },
        ]),
        422,
        { field: 'zones[1].zone', code: 'edge.zone-duplicate' },
      ],
      [
        'more than 100,000 zones',
        body(
          'bad-16',
          Array.from({ length: 100_001 }, (_, i) => ({ zone: `z${i}.example.`, serial: 1 })),
        ),
        422,
        { field: 'zones', code: 'edge.zones' },
      ],
      ['a body that is not an object', [body('bad-17')], 400, { field: 'body' }],
    ];
    test.each(cases)('%s', async (_, bad, status, error) => {
      const r = await h.call('POST', '/v1/edges/report', edgeKey, bad);
      expect(r.status).toBe(status);
      expect(r.headers.get('content-type')).toMatch(/problem\+json/);
      expect(r.body.errors).toContainEqual(expect.objectContaining(error));
      const id = (bad as { id?: string }).id;
      if (id) expect(await h.edgeRegistry.get(id)).toBeUndefined();
    });

    test('malformed JSON is 400, a body over 32 MB is 413', async () => {
      const malformed = await h.call('POST', '/v1/edges/report', edgeKey, '{"id": ');
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get('content-type')).toMatch(/problem\+json/);
      const huge = await h.call('POST', '/v1/edges/report', edgeKey, {
        ...body('bad-huge'),
        version: 'x'.repeat(33 * 1024 * 1024),
      });
      expect(huge.status).toBe(413);
      expect(huge.headers.get('content-type')).toMatch(/problem\+json/);
      expect(await h.edgeRegistry.get('bad-huge')).toBeUndefined();
    });

    test('every bad entry is named at once, the listing capped at 100', async () => {
      const zones = Array.from({ length: 150 }, (_, i) => ({ zone: `Z${i}.example.`, serial: 1 }));
      const r = await h.call('POST', '/v1/edges/report', edgeKey, body('bad-many', zones));
      expect(r.status).toBe(422);
      expect(r.body.errors).toHaveLength(100);
      expect(r.body.detail).toContain('150 errors');
    });
  });

  test('a report of 100,000 zones (past the API-wide 1 MB body limit) is accepted', async () => {
    const zones = Array.from({ length: 100_000 }, (_, i) => ({ zone: `zone-${i}.example.`, serial: i }));
    const r = await report('big-1', zones);
    expect(r.status).toBe(200);
    expect((await listed('big-1')).zones).toBe(100_000);
    // Other routes keep the 1 MB limit.
    const other = await h.call('POST', '/v1/zones', h.adminA, { name: 'x'.repeat(2_000_000) });
    expect(other.status).toBe(413);
  });

  test('an edge is stale once its last report is more than 30 s old, healthy again when it reports', async () => {
    await report('stale-1');
    expect((await listed('stale-1')).status).toBe('healthy');
    advance(29);
    expect((await listed('stale-1')).status).toBe('healthy');
    advance(2);
    expect((await listed('stale-1')).status).toBe('stale');
    await report('stale-1');
    expect((await listed('stale-1')).status).toBe('healthy');
  });

  test('propagation: serial per edge, upToDate, and live once every healthy edge serves the current serial', async () => {
    // Edges of earlier tests go stale: only the ones reporting here count.
    advance(60);
    const zone = `prop-${backend}.example.`;
    expect((await h.call('POST', '/v1/zones', h.adminA, { name: zone })).status).toBe(201);
    const propagation = async () => {
      const r = await h.call('GET', `/v1/zones/${zone}/propagation`, h.adminA);
      expect(r.status).toBe(200);
      return r.body;
    };
    const s1: number = (await propagation()).serial;
    expect(await propagation()).toMatchObject({ zone, serial: s1, live: false });
    expect((await propagation()).edges.every((e: { status: string }) => e.status === 'stale')).toBe(true);

    await report('pop-a', [{ zone, serial: s1 }]);
    await report('pop-b', [{ zone, serial: s1 }]);
    let p = await propagation();
    expect(p.live).toBe(true);
    expect(p.edges.find((e: { id: string }) => e.id === 'pop-a')).toEqual({
      id: 'pop-a',
      status: 'healthy',
      lastSeen: expect.any(String),
      serial: s1,
      upToDate: true,
    });

    // A change moves the serial: no edge has it yet.
    const added = await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
      name: 'www',
      type: 'A',
      value: '192.0.2.1',
    });
    expect(added.status).toBe(201);
    p = await propagation();
    const s2: number = p.serial;
    expect(s2).toBeGreaterThan(s1);
    expect(p.live).toBe(false);
    expect(p.edges.find((e: { id: string }) => e.id === 'pop-a')).toMatchObject({
      serial: s1,
      upToDate: false,
    });

    await report('pop-a', [{ zone, serial: s2 }]);
    expect((await propagation()).live).toBe(false);
    await report('pop-b', [{ zone, serial: s2 }]);
    p = await propagation();
    expect(p.live).toBe(true);
    expect(p.edges.filter((e: { status: string }) => e.status === 'healthy')).toEqual([
      expect.objectContaining({ id: 'pop-a', serial: s2, upToDate: true }),
      expect.objectContaining({ id: 'pop-b', serial: s2, upToDate: true }),
    ]);

    // A healthy edge that does not serve the zone holds it back; once stale, it no longer counts.
    await report('pop-c', [{ zone: 'elsewhere.example.', serial: 1 }]);
    p = await propagation();
    expect(p.live).toBe(false);
    expect(p.edges.find((e: { id: string }) => e.id === 'pop-c')).toMatchObject({
      status: 'healthy',
      serial: null,
      upToDate: false,
    });
    advance(31);
    await report('pop-a', [{ zone, serial: s2 }]);
    await report('pop-b', [{ zone, serial: s2 }]);
    p = await propagation();
    expect(p.edges.find((e: { id: string }) => e.id === 'pop-c')).toMatchObject({ status: 'stale' });
    expect(p.live).toBe(true);

    // Read access is that of the zone: the edge key and scoped readers see it too.
    expect((await h.call('GET', `/v1/zones/${zone}/propagation`, edgeKey)).status).toBe(200);
    const scoped = (await h.call('POST', '/v1/apikeys', h.adminA, { role: 'viewer', zones: [zone] })).body
      .token;
    expect((await h.call('GET', `/v1/zones/${zone.toUpperCase()}/propagation`, scoped)).body.live).toBe(true);

    // And when every edge is stale, nothing is live.
    advance(31);
    expect((await propagation()).live).toBe(false);
  });

  test('the three routes are in the OpenAPI document', async () => {
    const doc = (await h.call('GET', '/docs-json', undefined)).body;
    const report = doc.paths['/v1/edges/report'].post;
    expect(report.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['id', 'version', 'startedAt', 'uptimeSeconds', 'zones']),
    );
    expect(Object.keys(report.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '413', '415', '422', '429']),
    );
    expect(report.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/v1/edges'].get.responses['200'].content['application/json'].schema).toBeDefined();
    const propagation = doc.paths['/v1/zones/{zone}/propagation'].get;
    expect(Object.keys(propagation.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '404']));
  });

  test("a tenant asking another org's zone (or one out of its scope, or none) gets 404", async () => {
    const zone = `private-${backend}.example.`;
    expect((await h.call('POST', '/v1/zones', h.adminA, { name: zone })).status).toBe(201);
    expect((await h.call('GET', `/v1/zones/${zone}/propagation`, h.adminA)).status).toBe(200);
    const foreign = await h.call('GET', `/v1/zones/${zone}/propagation`, h.adminB);
    expect(foreign.status).toBe(404);
    const missing = await h.call('GET', `/v1/zones/missing-${backend}.example./propagation`, h.adminB);
    expect(missing.status).toBe(404);
    expect(foreign.body.detail.replace(zone, 'Z')).toBe(
      missing.body.detail.replace(`missing-${backend}.example.`, 'Z'),
    );
    // The operator org is a tenant like any other here: zone access is not widened.
    expect((await h.call('GET', `/v1/zones/${zone}/propagation`, h.operator)).status).toBe(404);
    const other = `other-${backend}.example.`;
    expect((await h.call('POST', '/v1/zones', h.adminA, { name: other })).status).toBe(201);
    const scoped = (await h.call('POST', '/v1/apikeys', h.adminA, { role: 'viewer', zones: [other] })).body
      .token;
    expect((await h.call('GET', `/v1/zones/${zone}/propagation`, scoped)).status).toBe(404);
  });
});
