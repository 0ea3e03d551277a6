import { createServer, type Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './harness.js';

const SECRET = 'a-test-secret-of-at-least-32-characters!!';
const key = new TextEncoder().encode(SECRET);

async function token(
  claims: Record<string, unknown>,
  options: { expires?: string | number; secret?: Uint8Array } = {},
) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (options.expires !== undefined) jwt.setExpirationTime(options.expires);
  return jwt.sign(options.secret ?? key);
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness('pglite', { jwt: { secret: SECRET }, rateLimitPerMinute: 30 });
  expect(
    (await h.call('POST', '/v1/zones', h.adminA, { name: 'jwt.example', nameservers: ['ns.example.net.'] }))
      .status,
  ).toBe(201);
}, 60_000);
afterAll(async () => h?.close());

describe('JWT login (HS256)', () => {
  test('claims map to org, role and actor', async () => {
    const t = await token({ sub: 'alice', org: h.orgA, role: 'editor' }, { expires: '5m' });
    const r = await h.call('POST', '/v1/zones/jwt.example/records', t, {
      name: 'a',
      type: 'A',
      value: '192.0.2.1',
    });
    expect(r.status).toBe(201);
    const audit = await h.call('GET', '/v1/audit?zone=jwt.example', h.adminA);
    expect(audit.body.entries[0]).toMatchObject({ actor: 'jwt:alice', action: 'record.create' });
    // An editor may not create zones.
    expect((await h.call('POST', '/v1/zones', t, { name: 'no.example' })).status).toBe(403);
  });

  test('bad, expired, unsigned-by-us, expiry-less and foreign tokens are 401', async () => {
    const cases = [
      await token(
        { sub: 'x', org: h.orgA, role: 'admin' },
        { expires: Math.floor(Date.now() / 1000) - 3600 },
      ),
      await token(
        { sub: 'x', org: h.orgA, role: 'admin' },
        { expires: '5m', secret: new TextEncoder().encode('another-secret-another-secret-another!') },
      ),
      await token({ sub: 'x', org: h.orgA, role: 'admin' }),
      await token({ sub: 'x', org: 'no-such-org', role: 'admin' }, { expires: '5m' }),
      await token({ sub: 'x', org: h.orgA, role: 'root' }, { expires: '5m' }),
      'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    ];
    for (const t of cases) {
      const r = await h.call('GET', '/v1/zones', t);
      expect(r.status, t).toBe(401);
      expect(r.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });

  test("a token for org B cannot see org A's zone", async () => {
    const t = await token({ sub: 'bob', org: h.orgB, role: 'admin' }, { expires: '5m' });
    expect((await h.call('GET', '/v1/zones/jwt.example', t)).status).toBe(404);
  });

  test('a zones claim limits the token to those zones', async () => {
    const t = await token(
      { sub: 'carol', org: h.orgA, role: 'admin', zones: ['other.example'] },
      { expires: '5m' },
    );
    expect((await h.call('GET', '/v1/zones/jwt.example', t)).status).toBe(404);
  });
});

describe('rate limit, health and metrics', () => {
  test('past the per-principal limit: 429 with Retry-After; other principals unaffected', async () => {
    const minted = await h.call('POST', '/v1/apikeys', h.adminA, { role: 'viewer' });
    const viewer = minted.body.token as string;
    let limited: Awaited<ReturnType<Harness['call']>> | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const r = await h.call('GET', '/v1/zones', viewer);
      if (r.status === 429) limited = r;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await h.call('GET', '/v1/zones', h.adminB)).status).toBe(200);
  });

  test('the same JWT subject in two orgs has two buckets: one org cannot throttle the other', async () => {
    const inA = await token({ sub: 'dana', org: h.orgA, role: 'viewer' }, { expires: '5m' });
    const inB = await token({ sub: 'dana', org: h.orgB, role: 'viewer' }, { expires: '5m' });
    let status = 0;
    for (let i = 0; i < 40 && status !== 429; i++) status = (await h.call('GET', '/v1/zones', inA)).status;
    expect(status).toBe(429);
    expect((await h.call('GET', '/v1/zones', inB)).status).toBe(200);
  });

  test('/healthz and /readyz answer without auth; /metrics counts requests by route template', async () => {
    expect((await h.call('GET', '/healthz', undefined)).body).toEqual({ status: 'ok' });
    expect((await h.call('GET', '/readyz', undefined)).body).toEqual({ status: 'ready' });
    expect((await h.call('GET', '/metrics', undefined)).status).toBe(401);
    expect((await h.call('GET', '/metrics', h.adminA)).status).toBe(403);
    const res = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${h.operator}` } });
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(
      /herald_http_requests_total\{route="\/v1\/zones\/:zone\/records",method="POST",status="201"\} [1-9]/,
    );
    expect(text).toMatch(
      /herald_http_request_duration_seconds_bucket\{le="0.005",route="\/v1\/zones",method="GET"\}/,
    );
    expect(text).toMatch(/herald_zone_records\{zone="jwt.example."\} 3/);
  });
});

describe('JWT login through a JWKS endpoint (ES256 and RS256)', () => {
  let jwks: Server;
  let hj: Harness;
  const keys: {
    kid: string;
    alg: 'ES256' | 'RS256';
    privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  }[] = [];

  beforeAll(async () => {
    const published: Record<string, unknown>[] = [];
    for (const alg of ['ES256', 'RS256'] as const) {
      const pair = await generateKeyPair(alg, { extractable: true });
      const kid = `k-${alg}`;
      keys.push({ kid, alg, privateKey: pair.privateKey });
      published.push({ ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' });
    }
    // The identity provider: a real HTTP server publishing the public keys.
    jwks = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published })),
    );
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const port = (jwks.address() as { port: number }).port;
    hj = await startHarness('pglite', {
      jwt: { jwksUrl: `http://127.0.0.1:${port}/jwks.json`, audience: 'herald' },
    });
  }, 60_000);
  afterAll(async () => {
    await hj?.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  const sign = (k: (typeof keys)[number], claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: k.alg, kid: k.kid })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(k.privateKey);

  test('tokens signed by either published key are accepted; audience is checked', async () => {
    for (const k of keys) {
      const t = await sign(k, { sub: `svc-${k.alg}`, org: hj.orgA, role: 'viewer', aud: 'herald' });
      expect((await hj.call('GET', '/v1/zones', t)).status, k.alg).toBe(200);
    }
    const wrongAudience = await sign(keys[0]!, {
      sub: 'x',
      org: hj.orgA,
      role: 'viewer',
      aud: 'someone-else',
    });
    expect((await hj.call('GET', '/v1/zones', wrongAudience)).status).toBe(401);
  });

  test('a token signed by a key the JWKS does not publish is 401', async () => {
    const stranger = await generateKeyPair('ES256');
    const t = await new SignJWT({ sub: 'x', org: hj.orgA, role: 'admin', aud: 'herald' })
      .setProtectedHeader({ alg: 'ES256', kid: keys[0]!.kid })
      .setExpirationTime('5m')
      .sign(stranger.privateKey);
    expect((await hj.call('GET', '/v1/zones', t)).status).toBe(401);
  });
});
