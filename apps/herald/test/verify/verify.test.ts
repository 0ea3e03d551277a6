// POST /v1/zones/{zone}/verify against real name servers: two Knot DNS
// instances serve the parent zone `example.` (127.0.0.2 and 127.0.0.4, which
// differ only in split.example.'s delegation) and 127.0.0.2 also serves the
// resolver's lookups (HERALD_RESOLVER=127.0.0.2: it is authoritative for
// everything asked). The zones are created in herald through the real API.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UdpTcpDnsClient } from '../../src/adapters/dns-client/udp-tcp-dns-client.js';
import { startHarness, type Harness } from '../api/harness.js';
import { startKnot, type KnotServer } from './knot.js';

const SOA = '@ SOA ns.example. hostmaster.example. 1 3600 900 604800 300';

function exampleZone(splitNs: string): string {
  return `$ORIGIN example.
$TTL 300
${SOA}
@ NS ns.example.
@ NS ns2.example.
ns A 127.0.0.2
ns2 A 127.0.0.4
ns-dead A 127.0.0.5
; matches herald, with correct glue for the in-zone name server
good NS ns.example.
good NS ns2.example.
good NS ns1.good.example.
ns1.good A 127.0.0.20
ns1.good AAAA 2001:db8::20
; herald has ns.example. and ns2.example.net.
wrong NS ns.example.
wrong NS ns-old.example.net.
; in-zone name servers: wrong glue for ns1, none for ns2
glue NS ns1.glue.example.
glue NS ns2.glue.example.
ns1.glue A 192.0.2.99
; 127.0.0.2 serves auth.example. itself, so it answers instead of referring
auth NS ns.example.
auth NS ns2.example.
split NS ${splitNs}
`;
}

// A second parent with one working server, one that does not serve it
// (REFUSED) and one where nothing listens.
const lameZone = `$ORIGIN lame.
$TTL 300
${SOA}
@ NS ns.example.
@ NS ns2.example.
@ NS ns-dead.example.
child NS ns.example.
`;

const authZone = `$ORIGIN auth.example.
$TTL 300
${SOA}
@ NS ns.example.
@ NS ns2.example.
`;

const ns = { name: 'ns.example.', address: '127.0.0.2' };
const ns2 = { name: 'ns2.example.', address: '127.0.0.4' };
const dead = { name: 'ns-dead.example.', address: '127.0.0.5' };

let knotA: KnotServer | undefined;
let knotB: KnotServer | undefined;
let h: Harness;
/** Herald's resolver; the 502 test points it at an address where nothing listens (read on every request). */
const resolver = { address: '127.0.0.2', port: 53 };
// Short timeouts: every server here is local, and a lost answer should fail fast.
const dnsClient = new UdpTcpDnsClient({ timeoutMs: 1000 });

beforeAll(async () => {
  // allSettled: when one fails, afterAll must still stop the others, so each is kept as it starts.
  const started = await Promise.allSettled([
    startKnot({
      listen: ['127.0.0.2@53'],
      zones: { 'example.': exampleZone('ns.example.'), 'lame.': lameZone, 'auth.example.': authZone },
    }).then((k) => (knotA = k)),
    startKnot({ listen: ['127.0.0.4@53'], zones: { 'example.': exampleZone('ns2.example.') } }).then(
      (k) => (knotB = k),
    ),
    startHarness('pglite', { dnsClient, resolver }).then((x) => (h = x)),
  ]);
  for (const s of started) if (s.status === 'rejected') throw s.reason;
}, 30_000);

afterAll(async () => {
  await Promise.all([h?.close(), knotA?.stop(), knotB?.stop()]);
});

async function createZone(name: string, nameservers: string[], records: [string, string, string][] = []) {
  const created = await h.call('POST', '/v1/zones', h.adminA, { name, nameservers });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  for (const [owner, type, value] of records) {
    const r = await h.call('POST', `/v1/zones/${name}/records`, h.adminA, { name: owner, type, value });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
}

async function verify(zone: string, token = h.adminA) {
  return h.call('POST', `/v1/zones/${zone}/verify`, token);
}

describe('POST /v1/zones/{zone}/verify', () => {
  test('a matching delegation with glue is ok at every parent server', async () => {
    await createZone(
      'good.example.',
      ['ns.example.', 'ns2.example.', 'ns1.good.example.'],
      [
        ['ns1', 'A', '127.0.0.20'],
        ['ns1', 'AAAA', '2001:DB8:0::20'],
      ],
    );
    const r = await verify('Good.Example');
    expect(r.status).toBe(200);
    const server = (s: { name: string; address: string }) => ({
      ...s,
      status: 'ok',
      rcode: 'NOERROR',
      source: 'referral',
      ns: ['ns1.good.example.', 'ns.example.', 'ns2.example.'],
      glue: { 'ns1.good.example.': ['127.0.0.20', '2001:db8::20'] },
      problems: [],
    });
    expect(r.body).toEqual({
      zone: 'good.example.',
      parent: 'example.',
      resolver: '127.0.0.2:53',
      ok: true,
      nameservers: {
        // Canonical DNS order (RFC 4034 §6.1): compared label by label from the right.
        zone: ['ns1.good.example.', 'ns.example.', 'ns2.example.'],
        parent: ['ns1.good.example.', 'ns.example.', 'ns2.example.'],
      },
      glue: { 'ns1.good.example.': ['127.0.0.20', '2001:db8::20'] },
      servers: [server(ns), server(ns2)],
      problems: [],
    });
  });

  test('a different NS set: names missing at the parent and extra there', async () => {
    await createZone('wrong.example.', ['ns.example.', 'ns2.example.net.']);
    const r = await verify('wrong.example.');
    expect(r.status).toBe(200);
    const problems = [
      {
        code: 'ns.missing',
        message: "ns2.example.net. is in the zone's NS set but not in the parent's delegation",
      },
      {
        code: 'ns.extra',
        message: "the parent's delegation has ns-old.example.net., which is not in the zone's NS set",
      },
    ];
    expect(r.body).toMatchObject({
      ok: false,
      nameservers: {
        zone: ['ns.example.', 'ns2.example.net.'],
        parent: ['ns.example.', 'ns-old.example.net.'],
      },
      glue: {},
    });
    for (const s of r.body.servers)
      expect(s).toMatchObject({ status: 'mismatch', ns: ['ns.example.', 'ns-old.example.net.'], problems });
    expect(r.body.problems).toEqual(problems.map((p) => ({ ...p, servers: [ns, ns2] })));
  });

  test('in-zone name servers: wrong glue and missing glue', async () => {
    await createZone(
      'glue.example.',
      ['ns1.glue.example.', 'ns2.glue.example.'],
      [
        ['ns1', 'A', '127.0.0.10'],
        ['ns2', 'A', '127.0.0.11'],
      ],
    );
    const r = await verify('glue.example.');
    expect(r.status).toBe(200);
    const problems = [
      {
        code: 'glue.different',
        message: "the parent's glue for ns1.glue.example. is 192.0.2.99; the zone has 127.0.0.10",
      },
      {
        code: 'glue.missing',
        message: 'the parent gives no glue for ns2.glue.example.; the zone has 127.0.0.11',
      },
    ];
    expect(r.body).toMatchObject({
      ok: false,
      nameservers: {
        zone: ['ns1.glue.example.', 'ns2.glue.example.'],
        parent: ['ns1.glue.example.', 'ns2.glue.example.'],
      },
      glue: { 'ns1.glue.example.': ['127.0.0.10'], 'ns2.glue.example.': ['127.0.0.11'] },
      problems: problems.map((p) => ({ ...p, servers: [ns, ns2] })),
    });
    for (const s of r.body.servers)
      expect(s).toMatchObject({
        status: 'mismatch',
        source: 'referral',
        glue: { 'ns1.glue.example.': ['192.0.2.99'] },
        problems,
      });
  });

  test('no delegation at all: every parent server says NXDOMAIN', async () => {
    await createZone('missing.example.', ['ns.example.']);
    const r = await verify('missing.example.');
    expect(r.status).toBe(200);
    const problem = {
      code: 'delegation.missing',
      message: 'answered NXDOMAIN: the parent has no missing.example.',
    };
    expect(r.body).toEqual({
      zone: 'missing.example.',
      parent: 'example.',
      resolver: '127.0.0.2:53',
      ok: false,
      nameservers: { zone: ['ns.example.'], parent: [] },
      glue: {},
      servers: [ns, ns2].map((s) => ({
        ...s,
        status: 'mismatch',
        rcode: 'NXDOMAIN',
        ns: [],
        glue: {},
        problems: [problem],
      })),
      problems: [{ ...problem, servers: [ns, ns2] }],
    });
  });

  test('the parent is found from the SOA in an NXDOMAIN answer, a level further up', async () => {
    await createZone('deep.nowhere.example.', ['ns.example.']);
    const r = await verify('deep.nowhere.example.');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ parent: 'example.', ok: false });
    expect(r.body.problems.map((p: { code: string }) => p.code)).toEqual(['delegation.missing']);
  });

  test('a parent server that also serves the zone answers instead of referring', async () => {
    await createZone('auth.example.', ['ns.example.', 'ns2.example.']);
    const r = await verify('auth.example.');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.servers.map((s: { address: string; source: string }) => [s.address, s.source])).toEqual([
      ['127.0.0.2', 'answer'],
      ['127.0.0.4', 'referral'],
    ]);
  });

  test('parent servers that disagree with each other', async () => {
    await createZone('split.example.', ['ns.example.']);
    const r = await verify('split.example.');
    expect(r.status).toBe(200);
    expect(r.body.nameservers).toEqual({ zone: ['ns.example.'], parent: ['ns.example.', 'ns2.example.'] });
    expect(r.body.servers).toMatchObject([
      { ...ns, status: 'ok', ns: ['ns.example.'], problems: [] },
      { ...ns2, status: 'mismatch', ns: ['ns2.example.'] },
    ]);
    expect(r.body.problems).toEqual([
      {
        code: 'ns.missing',
        message: "ns.example. is in the zone's NS set but not in the parent's delegation",
        servers: [ns2],
      },
      {
        code: 'ns.extra',
        message: "the parent's delegation has ns2.example., which is not in the zone's NS set",
        servers: [ns2],
      },
      {
        code: 'parents.disagree',
        message:
          'the servers of example. disagree: ns.example. 127.0.0.2: ns.example.; ns2.example. 127.0.0.4: ns2.example.',
        servers: [ns, ns2],
      },
    ]);
  });

  test('parent servers that refuse or cannot be reached', async () => {
    await createZone('child.lame.', ['ns.example.']);
    const r = await verify('child.lame.');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ parent: 'lame.', ok: false, nameservers: { parent: ['ns.example.'] } });
    expect(r.body.servers).toEqual([
      {
        ...ns,
        status: 'ok',
        rcode: 'NOERROR',
        source: 'referral',
        ns: ['ns.example.'],
        glue: {},
        problems: [],
      },
      {
        ...dead,
        status: 'unreachable',
        ns: [],
        glue: {},
        problems: [{ code: 'server.unreachable', message: '127.0.0.5:53 is unreachable (ECONNREFUSED)' }],
      },
      {
        ...ns2,
        status: 'error',
        rcode: 'REFUSED',
        ns: [],
        glue: {},
        problems: [
          { code: 'server.refused', message: 'answered REFUSED: it does not serve the parent zone' },
        ],
      },
    ]);
    expect(r.body.problems.map((p: { code: string; servers: unknown }) => [p.code, p.servers])).toEqual([
      ['server.unreachable', [dead]],
      ['server.refused', [ns2]],
    ]);
  });

  test("another org's zone, and a zone that does not exist, are 404", async () => {
    const other = await h.call('POST', '/v1/zones', h.adminB, {
      name: 'other.example.',
      nameservers: ['ns.example.'],
    });
    expect(other.status).toBe(201);
    for (const zone of ['other.example.', 'absent.example.']) {
      const r = await verify(zone);
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.body.detail).toBe(`zone ${zone} does not exist`);
    }
    expect((await verify('other.example.', h.adminB)).status).toBe(200);
  });
});

test('the route and its report are in the OpenAPI document', async () => {
  const doc = await h.call('GET', '/docs-json', undefined);
  const op = doc.body.paths['/v1/zones/{zone}/verify'].post;
  expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401', '404', '502']));
  expect(Object.keys(op.responses['200'].content['application/json'].schema.properties)).toEqual([
    'zone',
    'parent',
    'resolver',
    'ok',
    'nameservers',
    'glue',
    'servers',
    'problems',
  ]);
});

describe('an unreachable resolver', () => {
  test('is 502, naming the resolver, with no report', async () => {
    await createZone('unverified.example.', ['ns.example.']);
    resolver.address = '127.0.0.3';
    try {
      const r = await verify('unverified.example.');
      expect(r.status).toBe(502);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.body).toEqual({
        type: 'about:blank',
        title: 'Bad Gateway',
        status: 502,
        detail:
          'resolver 127.0.0.3:53: could not ask it for example. SOA: 127.0.0.3:53 is unreachable (ECONNREFUSED); nothing was verified (HERALD_RESOLVER sets the resolver)',
      });
    } finally {
      resolver.address = '127.0.0.2';
    }
  });
});
