import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS, startHarness, type Harness } from './harness.js';

const FILE = `$TTL 300
@ SOA ns1 hostmaster 1 3600 600 604800 60
@ NS ns1
ns1 A 192.0.2.1
www A 192.0.2.80
    AAAA 2001:db8::80
mail MX 10 www
_sip._tcp SRV 0 5 5060 www
`;

describe.each(BACKENDS)('on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
    expect(
      (
        await h.call('POST', '/v1/zones', h.adminA, {
          name: 'files.example',
          nameservers: ['ns1.files.example.'],
        })
      ).status,
    ).toBe(201);
  }, 60_000);
  afterAll(async () => h?.close());

  const zone = 'files.example.';

  async function importText(text: string, query = '', headers: Record<string, string> = {}) {
    const res = await fetch(`${h.url}/v1/zones/${zone}/import${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.adminA}`, 'content-type': 'text/dns', ...headers },
      body: text,
    });
    return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes
  }

  describe('import and export', () => {
    test('a bad file is rejected whole, with every error line and column', async () => {
      const before = (await h.call('GET', `/v1/zones/${zone}`, h.adminA)).body;
      const r = await importText('$TTL 300\nwww A 192.0.2.999\nmx MX x y\n$INCLUDE /etc/passwd\n');
      expect(r.status).toBe(422);
      expect(r.body.errors.map((e: { line: number; column: number }) => [e.line, e.column])).toEqual([
        [2, 7],
        [3, 7],
        [4, 1],
      ]);
      const after = (await h.call('GET', `/v1/zones/${zone}`, h.adminA)).body;
      expect(after.serial).toBe(before.serial);
      expect(after.recordCount).toBe(before.recordCount);
    });

    test('zone-rule errors in a file reject it, naming the rule', async () => {
      const r = await importText(FILE + 'www CNAME mail\n');
      expect(r.status).toBe(422);
      expect(r.body.errors.map((e: { code: string }) => e.code)).toContain('cname-exclusive');
    });

    test('replace makes the zone the file (serial kept by the platform), export gives it back canonical', async () => {
      const before = (await h.call('GET', `/v1/zones/${zone}`, h.adminA)).body.serial;
      const r = await importText(FILE);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ changed: true, records: 7 });
      expect(r.body.serial).toBe(before + 1);
      const exp = await fetch(`${h.url}/v1/zones/${zone}/export`, {
        headers: { authorization: `Bearer ${h.adminA}` },
      });
      expect(exp.headers.get('content-type')).toMatch(/^text\/dns/);
      expect(await exp.text()).toBe(
        [
          '$ORIGIN files.example.',
          `@\t300\tIN\tSOA\tns1 hostmaster ${before + 1} 3600 600 604800 60`,
          '@\t300\tIN\tNS\tns1',
          '_sip._tcp\t300\tIN\tSRV\t0 5 5060 www',
          'mail\t300\tIN\tMX\t10 www',
          'ns1\t300\tIN\tA\t192.0.2.1',
          'www\t300\tIN\tA\t192.0.2.80',
          'www\t300\tIN\tAAAA\t2001:db8::80',
          '',
        ].join('\n'),
      );
      // Importing the same file again changes nothing.
      const again = await importText(FILE);
      expect(again.body).toMatchObject({ changed: false, serial: before + 1 });
    });

    test('merge adds to what is there', async () => {
      const r = await importText('$TTL 60\nextra TXT "merged"\n', '?mode=merge');
      expect(r.status).toBe(200);
      const list = await h.call('GET', `/v1/zones/${zone}/records?type=TXT`, h.adminA);
      expect(list.body.records.map((x: { name: string }) => x.name)).toEqual(['extra']);
      expect((await h.call('GET', `/v1/zones/${zone}/records?name=www`, h.adminA)).body.records).toHaveLength(
        2,
      );
    });

    test('a zone file must be text/dns or text/plain', async () => {
      const res = await fetch(`${h.url}/v1/zones/${zone}/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.adminA}`, 'content-type': 'application/octet-stream' },
        body: FILE,
      });
      expect(res.status).toBe(415);
    });
  });

  describe('platform-managed records and import', () => {
    const managedZone = 'managed-import.example.';
    beforeAll(async () => {
      expect(
        (
          await h.call('POST', '/v1/zones', h.adminA, {
            name: managedZone,
            nameservers: ['ns1.example.net.'],
          })
        ).status,
      ).toBe(201);
      for (let i = 0; i < 25; i++)
        expect(
          (
            await h.call('POST', `/v1/zones/${managedZone}/records`, h.adminA, {
              name: `_acme${i}`,
              type: 'TXT',
              value: `"t${i}"`,
              metadata: { managed_by: 'cert-manager' },
            })
          ).status,
        ).toBe(201);
    });

    async function importInto(text: string, query = '') {
      const res = await fetch(`${h.url}/v1/zones/${managedZone}/import${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.adminA}`, 'content-type': 'text/dns' },
        body: text,
      });
      return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes
    }

    test('replace refuses to delete managed records without force=true; forced, the audit says so, with counts', async () => {
      const before = (await h.call('GET', `/v1/zones/${managedZone}`, h.adminA)).body;
      const file = '$TTL 300\n@ NS ns1.example.net.\nwww A 192.0.2.80\n';
      const refused = await importInto(file);
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toContain('25 platform-managed');
      expect(refused.body.errors).toHaveLength(20);
      expect(refused.body.errors[0]).toMatchObject({ field: 'force', code: 'managed-record' });
      expect(refused.body.errors[0].message).toMatch(/^_acme\d+ TXT "t\d+" is managed by cert-manager$/);
      expect((await h.call('GET', `/v1/zones/${managedZone}`, h.adminA)).body.serial).toBe(before.serial);
      expect((await importInto(file, '?force=yes')).status).toBe(400);

      // A file that keeps every managed record needs no force.
      const keeps = (
        await h.call('GET', `/v1/zones/${managedZone}/records?type=TXT&limit=100`, h.adminA)
      ).body.records
        .map((r: { name: string; value: string }) => `${r.name} TXT ${r.value}`)
        .join('\n');
      const merged = await importInto(`${file}${keeps}\n`, '?force=false');
      expect(merged.status).toBe(200);

      const forced = await importInto(file, '?force=true');
      expect(forced.status).toBe(200);
      expect(forced.body.removed).toBeGreaterThanOrEqual(25);
      const audit = await h.call('GET', `/v1/audit?zone=${managedZone}&action=zone.import.replace`, h.adminA);
      const [last, previous] = audit.body.entries;
      expect(last).toMatchObject({
        forced: true,
        // SOA, NS, 25 managed TXT and the www the previous import added.
        before: { records: 28 },
        after: { records: 3, added: forced.body.added, removed: forced.body.removed },
      });
      expect(previous.forced).toBeUndefined();
      expect(previous.before.records).toBe(before.recordCount);
      expect(
        (await h.call('GET', `/v1/zones/${managedZone}/records?type=TXT`, h.adminA)).body.records,
      ).toEqual([]);
    });
  });

  describe('change log and audit', () => {
    test('changes since a serial list each change set in order; a serial the log cannot continue from is 410', async () => {
      const first = (await h.call('GET', `/v1/zones/${zone}`, h.adminA)).body.serial;
      await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'log1',
        type: 'A',
        value: '192.0.2.11',
      });
      await h.call('POST', `/v1/zones/${zone}/records`, h.adminA, {
        name: 'log2',
        type: 'A',
        value: '192.0.2.12',
      });
      const r = await h.call('GET', `/v1/zones/${zone}/changes?since=${first}`, h.adminA);
      expect(r.status).toBe(200);
      expect(
        r.body.changes.map((c: { previousSerial: number; serial: number }) => [c.previousSerial, c.serial]),
      ).toEqual([
        [first, first + 1],
        [first + 1, first + 2],
      ]);
      expect(r.body.changes[0].added).toContain('log1.files.example.\t3600\tIN\tA\t192.0.2.11');
      const none = await h.call('GET', `/v1/zones/${zone}/changes?since=${first + 2}`, h.adminA);
      expect(none.body.changes).toEqual([]);
      const gone = await h.call('GET', `/v1/zones/${zone}/changes?since=7`, h.adminA);
      expect(gone.status).toBe(410);
      expect((await h.call('GET', `/v1/zones/${zone}/changes?since=soon`, h.adminA)).status).toBe(400);
      expect(r.body.more).toBe(false);

      // Paged: one change set per call, `more` until the log is read to the end.
      const page1 = await h.call('GET', `/v1/zones/${zone}/changes?since=${first}&limit=1`, h.adminA);
      expect(page1.body.changes.map((c: { serial: number }) => c.serial)).toEqual([first + 1]);
      expect(page1.body.more).toBe(true);
      const page2 = await h.call('GET', `/v1/zones/${zone}/changes?since=${first + 1}&limit=1`, h.adminA);
      expect(page2.body.changes.map((c: { serial: number }) => c.serial)).toEqual([first + 2]);
      expect(page2.body.more).toBe(false);
      for (const bad of ['0', '1001', 'x'])
        expect(
          (await h.call('GET', `/v1/zones/${zone}/changes?since=${first}&limit=${bad}`, h.adminA)).status,
          bad,
        ).toBe(400);
    });

    test('every mutation is in the audit log with its actor', async () => {
      const r = await h.call('GET', `/v1/audit?zone=${zone}`, h.adminA);
      expect(r.status).toBe(200);
      const actions = r.body.entries.map((e: { action: string }) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining(['zone.create', 'zone.import.replace', 'zone.import.merge', 'record.create']),
      );
      for (const e of r.body.entries) expect(e.actor).toMatch(/^key:/);
      expect(
        (await h.call('GET', '/v1/audit', h.adminB)).body.entries.filter(
          (e: { zone?: string }) => e.zone === zone,
        ),
      ).toEqual([]);
    });
  });
});
