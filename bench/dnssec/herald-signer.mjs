#!/usr/bin/env node
// Herald's side of the signing benchmark: load an unsigned zone, generate a
// KSK and a ZSK (algorithm 13), sign it in full (NSEC3, 0 extra iterations,
// empty salt) on worker threads, write the signed zone, and print one JSON
// line. With --change 'owner TYPE rdata' it then applies that one record and
// re-signs incrementally, timing only that step, as the control plane does
// inside a change set. Runs the compiled library (libs/dns/dist, `pnpm build`).
// Usage: node herald-signer.mjs ORIGIN UNSIGNED OUT [--threads N] [--change 'www A 192.0.2.1']
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  DEFAULT_TIMING,
  FLAG_SEP,
  FLAG_ZONE,
  Name,
  RRType,
  generateKey,
  keyTag,
  loadZoneFile,
  localSigner,
  parseMasterFile,
  printMasterFile,
  signZone,
  threadSigner,
} from '../../libs/dns/dist/index.js';

const args = process.argv.slice(2);
const [originText, unsigned, out] = args;
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const threads = Number(opt('--threads') ?? availableParallelism());
const change = opt('--change');
const origin = Name.parse(originText);

const t0 = performance.now();
const loaded = loadZoneFile(readFileSync(unsigned, 'utf8'), origin);
if (!loaded.zone) {
  console.error(JSON.stringify(loaded.errors.slice(0, 3)));
  process.exit(1);
}
const zone = loaded.zone;
const t1 = performance.now();

const material = [];
const key = (id, flags) => {
  const k = generateKey(13);
  material.push({ id, algorithm: 13, privateKey: k.privateKey });
  const rdata = { flags, protocol: 3, algorithm: 13, publicKey: k.publicKey };
  return { rdata, ref: { id, tag: keyTag(rdata), algorithm: 13 } };
};
const ksk = key('ksk', FLAG_ZONE | FLAG_SEP);
const zsk = key('zsk', FLAG_ZONE);
const setup = {
  dnskeys: [ksk.rdata, zsk.rdata],
  dnskeyTtl: 3600,
  keySigning: [ksk.ref],
  zoneSigning: [zsk.ref],
  cds: [],
  cdnskey: [],
  denial: { kind: 'nsec3', iterations: 0, salt: new Uint8Array() },
  timing: DEFAULT_TIMING,
};
const t2 = performance.now();
const full = await signZone(zone, setup, new Date(), { kind: 'full' }, threadSigner(material, threads));
const t3 = performance.now();
let nsec3 = 0;
let signatures = 0;
for (const set of zone.rrsets()) {
  if (set.type === RRType.NSEC3) nsec3++;
  if (set.type === RRType.RRSIG) signatures += set.rdatas.length;
}
writeFileSync(out, printMasterFile(zone.records(), { origin, presorted: true }));
const result = {
  seconds: (t3 - t2) / 1000,
  loadSeconds: (t1 - t0) / 1000,
  signatures,
  nsec3,
  made: full.signatures,
  threads,
};
if (change) {
  const [record] = parseMasterFile(`$TTL 3600\n${change}\n`, { origin }).records;
  const c0 = performance.now();
  // The control plane's step: the record, the SOA serial bump, then the signer over what changed.
  const soa = zone.soa;
  const applied = zone.apply([
    { op: 'create', record },
    {
      op: 'replace',
      name: origin,
      type: RRType.SOA,
      ttl: soa.ttl,
      rdatas: [{ ...soa.data, serial: soa.data.serial + 1 }],
    },
  ]);
  if (!applied.ok) throw new Error(applied.errors[0].message);
  const touched = [...applied.diff.removed, ...applied.diff.added];
  const inc = await signZone(
    zone,
    setup,
    new Date(),
    { kind: 'changes', records: touched },
    localSigner(material),
  );
  const c1 = performance.now();
  result.change = {
    seconds: (c1 - c0) / 1000,
    signatures: inc.signatures,
    records: inc.diff.added.length + inc.diff.removed.length,
  };
}
console.log(JSON.stringify(result));
