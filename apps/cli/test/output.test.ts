import { describe, expect, test } from 'vitest';
import { ApiError } from '../src/errors.js';
import { ProgressBar, formatBytes, keyValues, table } from '../src/output.js';
import { capture } from './support.js';

describe('table', () => {
  test('aligns every column but the last, two spaces apart', () => {
    expect(
      table(
        ['NAME', 'TTL', 'VALUE'],
        [
          ['www', '300', '192.0.2.1'],
          ['a-long-name', '86400', '"text with spaces"'],
        ],
      ),
    ).toBe(
      [
        'NAME         TTL    VALUE',
        'www          300    192.0.2.1',
        'a-long-name  86400  "text with spaces"',
        '',
      ].join('\n'),
    );
  });

  test('key/value lines', () => {
    expect(
      keyValues([
        ['name', 'a.'],
        ['serial', '7'],
      ]),
    ).toBe('name    a.\nserial  7\n');
  });
});

describe('ProgressBar', () => {
  test('draws bytes sent of the total, redrawing at most every 100 ms', () => {
    let now = 0;
    const out = capture(true);
    const bar = new ProgressBar(out, 'uploading', 4096, () => now);
    bar.update(1024);
    bar.update(2048); // too soon: not drawn
    now = 150;
    bar.update(3072);
    bar.finish(4096);
    expect(out.text().split('\r').slice(1)).toEqual([
      'uploading [######------------------]  25%  1.0 KiB / 4.0 KiB\x1b[K',
      'uploading [##################------]  75%  3.0 KiB / 4.0 KiB\x1b[K',
      'uploading [########################] 100%  4.0 KiB / 4.0 KiB\x1b[K\n',
    ]);
  });

  test('without a total it counts bytes', () => {
    expect(new ProgressBar(capture(), 'uploading', undefined).render(5 * 1024 * 1024)).toBe(
      'uploading 5.0 MiB',
    );
    expect(formatBytes(999)).toBe('999 B');
  });
});

describe('ApiError', () => {
  test('title, status, detail, then one line per error: field or file:line:column, message and RFC', () => {
    const e = new ApiError(
      422,
      {
        title: 'Unprocessable Content',
        status: 422,
        detail: 'the zone file has 2 error(s); nothing was imported',
        errors: [
          {
            line: 3,
            column: 7,
            code: 'a',
            message: "'192.0.2.999' is not an IPv4 address",
            rfc: 'RFC 1035 §3.4.1',
          },
          { field: 'name', code: 'body.missing', message: 'name: is required' },
          { field: 'ttl', code: 'x', message: 'must be a number' },
          { line: 9, code: 'out-of-zone', message: 'x. is not inside a.' },
        ],
      },
      undefined,
      'zone.txt',
    );
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe('Unprocessable Content (422): the zone file has 2 error(s); nothing was imported');
    expect(e.details).toEqual([
      "zone.txt:3:7: '192.0.2.999' is not an IPv4 address (RFC 1035 §3.4.1)",
      'name: is required',
      'ttl: must be a number',
      'zone.txt:9: x. is not inside a.',
    ]);
    expect(new ApiError(502, { title: 'Bad Gateway' }).message).toBe('Bad Gateway (502)');
  });
});
