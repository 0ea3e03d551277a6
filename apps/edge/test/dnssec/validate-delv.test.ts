// A validator's view: BIND's delv, given the zone's DS as its only trust
// anchor, validates the edge's signed answers (positive, NXDOMAIN, NODATA,
// wildcard, empty non-terminal, referral) for NSEC and NSEC3 zones signed by
// ldns-signzone; and an answer whose RDATA was changed after signing must not
// validate. delv exits 0 either way: the assertions read its output.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeServer, type RunningServer } from '../differential/servers.js';
import { signZone, type SignedZone } from './sign.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/differential/example.com.zone', import.meta.url));
const ORIGIN = 'example.com.';
const fixture = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .filter((l) => !l.startsWith('_uri') && !/\sLOC\s/.test(l))
  .join('\n');

function delv(server: RunningServer, anchors: string, name: string, type: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'delv',
      [
        '-a',
        anchors,
        `@${server.host}`,
        '-p',
        String(server.port),
        name,
        type,
        `+root=${ORIGIN}`,
        '+nomultiline',
      ],
      { timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT')
          reject(
            new Error('delv is not installed; the validator test needs it: apt-get install bind9-dnsutils'),
          );
        else if (error && error.killed) reject(new Error(`delv timed out: ${stderr}`));
        else resolve(`${stdout}${stderr}`);
      },
    );
  });
}

/** delv's trust-anchors file (named.conf syntax) with the zone's DS as a static anchor. */
function anchorFile(signed: SignedZone): string {
  const [, , , keyTag, alg, digestType, digest] = signed.ds.split(/\s+/);
  const file = path.join(signed.dir, 'anchors.conf');
  writeFileSync(
    file,
    `trust-anchors { "${ORIGIN}" static-ds ${keyTag} ${alg} ${digestType} "${digest}"; };\n`,
  );
  return file;
}

const CASES: Array<[name: string, type: string, expected: RegExp]> = [
  ['www.example.com.', 'A', /^; fully validated/m],
  ['example.com.', 'DNSKEY', /^; fully validated/m],
  ['example.com.', 'SOA', /^; fully validated/m],
  ['chain1.example.com.', 'A', /^; fully validated/m],
  ['sub.example.com.', 'DS', /^; fully validated/m],
  ['foo.wild.example.com.', 'A', /^; fully validated/m],
  ['a.b.wild.example.com.', 'TXT', /^; fully validated/m],
  ['nx.example.com.', 'A', /^; negative response, fully validated/m],
  ['a.b.c.nx.example.com.', 'AAAA', /^; negative response, fully validated/m],
  ['www.example.com.', 'MX', /^; negative response, fully validated/m],
  ['_tcp.example.com.', 'A', /^; negative response, fully validated/m],
  ['foo.wild.example.com.', 'AAAA', /^; negative response, fully validated/m],
  ['ext.example.com.', 'DS', /^; negative response, fully validated/m],
  // The CNAME validates, then the proof that its target does not exist.
  ['dangling.example.com.', 'A', /^; fully validated[\s\S]*NXDOMAIN/m],
];

for (const variant of [
  { id: 'NSEC, ECDSAP256SHA256', algorithm: 13 as const },
  { id: 'NSEC3, Ed25519', algorithm: 15 as const, nsec3: { iterations: 0, salt: '' } },
]) {
  describe(`delv validates the edge's answers (${variant.id})`, () => {
    let signed: SignedZone;
    let anchors: string;
    let edge: RunningServer | undefined;
    let tampered: RunningServer | undefined;

    beforeAll(async () => {
      signed = signZone(ORIGIN, fixture, variant);
      anchors = anchorFile(signed);
      edge = await startEdgeServer([{ origin: ORIGIN, file: signed.file }]);
      // The same signed zone with one address changed after signing: its RRSIG no longer matches.
      const bad = signed.text.replace(
        /^(www\.example\.com\.\s+\d+\s+IN\s+A\s+)192\.0\.2\.80$/m,
        '$1192.0.2.99',
      );
      if (bad === signed.text) throw new Error('the tampered zone is unchanged');
      const badFile = path.join(signed.dir, 'tampered.zone');
      writeFileSync(badFile, bad);
      tampered = await startEdgeServer([{ origin: ORIGIN, file: badFile }]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all([edge?.stop(), tampered?.stop()]);
      if (signed) rmSync(signed.dir, { recursive: true, force: true });
    });

    it.for(CASES)('%s %s', async ([name, type, expected]) => {
      const out = await delv(edge!, anchors, name, type);
      expect(out, out).toMatch(expected);
    });

    it('an RRset changed after signing does not validate', async () => {
      const out = await delv(tampered!, anchors, 'www.example.com.', 'A');
      expect(out, out).not.toMatch(/fully validated/);
      expect(out).toMatch(/resolution failed|validation failure|no valid RRSIG/);
      // The rest of the zone still validates from the same server.
      expect(await delv(tampered!, anchors, 'mail.example.com.', 'A')).toMatch(/^; fully validated/m);
    });
  });
}
