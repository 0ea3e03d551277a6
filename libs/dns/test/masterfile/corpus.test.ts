// The corpus round trip: every fixture parses without error, prints, and the
// printed file (relative and absolute forms) reads back to the same records,
// is accepted by BIND, Knot and ldns, and holds exactly what BIND read from
// the original (compared by ldns). Signed zones still validate afterwards,
// which proves the RDATA survived octet for octet.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  Name,
  parseMasterFile,
  printMasterFile,
  recordToString,
  type ResourceRecord,
} from '../../src/index.js';
import {
  kzonecheck,
  ldnsCompareZones,
  ldnsReadZone,
  namedCheckzone,
  namedCompilezone,
} from '../support/external-tools.js';

const dir = path.join(import.meta.dirname, '..', 'fixtures', 'zones');
const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
  zones: { file: string; origin: string; signed?: boolean }[];
};
const work = mkdtempSync(path.join(tmpdir(), 'herald-corpus-'));

const show = (records: readonly ResourceRecord[]) => records.map((r) => recordToString(r));

describe.each(manifest.zones)('$file', ({ file, origin: originText, signed }) => {
  const origin = Name.parse(originText);
  const source = readFileSync(path.join(dir, file), 'utf8');
  const parsed = parseMasterFile(source, { origin });

  test('parses without errors', () => {
    expect(parsed.errors).toEqual([]);
    expect(parsed.records.length).toBeGreaterThan(5);
  });

  for (const form of ['relative', 'absolute'] as const) {
    describe(`printed ${form}`, () => {
      const printed = printMasterFile(parsed.records, form === 'relative' ? { origin } : {});
      const out = path.join(work, `${file}.${form}`);
      writeFileSync(out, printed);

      test('parse -> print -> parse is the identity', () => {
        const again = parseMasterFile(printed);
        expect(again.errors).toEqual([]);
        expect(show(again.records).sort()).toEqual(show(parsed.records).sort());
        // Printing is canonical: printing the re-read records gives the same text.
        expect(printMasterFile(again.records, form === 'relative' ? { origin } : {})).toBe(printed);
      });

      test('named-checkzone accepts it', () => {
        const r = namedCheckzone(originText, out);
        expect(r.output).toMatch(/^OK$/m);
        expect(r.status).toBe(0);
      });

      test(`kzonecheck accepts it${signed ? ' with DNSSEC validation' : ''}`, () => {
        const r = kzonecheck(originText, out, !!signed);
        expect(r.output).toBe('');
        expect(r.status).toBe(0);
      });

      test('ldns-read-zone accepts it', () => {
        const r = ldnsReadZone(out);
        expect(r.status).toBe(0);
        expect(r.output).toContain('SOA');
      });

      test('ldns-compare-zones finds no difference with what BIND read from the original', () => {
        const normalised = path.join(work, `${file}.bind`);
        const c = namedCompilezone(originText, path.join(dir, file), normalised);
        expect(c.status, c.output).toBe(0);
        const r = ldnsCompareZones(normalised, out);
        expect(r.output.trim()).toBe('+0\t-0\t~0');
        expect(r.status).toBe(0);
      });
    });
  }
});
