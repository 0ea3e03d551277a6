// The record cap of imports, made small here: the real one (2,000,000) is the same code path.
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { BACKENDS, startHarness, type Harness } from './harness.js';

vi.mock('../../src/zones/import-limits.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/zones/import-limits.js')>()),
  MAX_IMPORT_RECORDS: 5,
}));

describe.each(BACKENDS)('on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
    expect(
      (
        await h.call('POST', '/v1/zones', h.adminA, {
          name: 'cap.example',
          nameservers: ['ns1.example.net.'],
        })
      ).status,
    ).toBe(201);
  }, 60_000);
  afterAll(async () => h?.close());

  async function importText(text: string) {
    const res = await fetch(`${h.url}/v1/zones/cap.example./import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.adminA}`, 'content-type': 'text/dns' },
      body: text,
    });
    return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes
  }

  const file = (n: number) =>
    [
      '$TTL 300',
      '@ NS ns1.example.net.',
      ...Array.from({ length: n - 1 }, (_, i) => `h${i} A 192.0.2.${i}`),
    ].join('\n') + '\n';

  test('a file over the record cap is 413 with a clear message, and changes nothing', async () => {
    const serial = (await h.call('GET', '/v1/zones/cap.example.', h.adminA)).body.serial;
    const over = await importText(file(6));
    expect(over.status).toBe(413);
    expect(over.body.detail).toMatch(/limited to 5 records/);
    expect((await h.call('GET', '/v1/zones/cap.example.', h.adminA)).body.serial).toBe(serial);
    const at = await importText(file(5));
    expect(at.status).toBe(200);
    expect(at.body.records).toBe(5);
  });
});
