#!/usr/bin/env node
// Herald's side of the benchmark: stream-parse a zone file, build the zone
// (every zone rule checked), print it back in canonical order, and report the
// phases. Runs the compiled library (libs/dns/dist, from `pnpm build`).
// Usage: node herald-parse-print.mjs ZONE ORIGIN OUT [zone|plain]
// `plain` skips the zone model: parse, sort canonically, print.
import { createReadStream, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { MasterFileParser, Name, Zone, printMasterFile } from '../../libs/dns/dist/index.js';

const [file, originText, out, mode = 'zone'] = process.argv.slice(2);
const origin = Name.parse(originText);
const t0 = performance.now();
const parser = new MasterFileParser({ origin });
const records = [];
for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }))
  for (const rr of parser.write(chunk)) records.push(rr);
for (const rr of parser.end()) records.push(rr);
const t1 = performance.now();
if (parser.errors.length) {
  console.error(JSON.stringify(parser.errors.slice(0, 5)));
  process.exit(1);
}
let text;
let problems = [];
let count = records.length;
let t2 = t1;
if (mode === 'plain') {
  text = printMasterFile(records, { origin });
} else {
  const built = Zone.build(origin, records);
  t2 = performance.now();
  problems = built.problems;
  if (!built.zone) {
    console.error(JSON.stringify(problems.slice(0, 5)));
    process.exit(1);
  }
  records.length = 0; // the zone holds the data from here on
  count = built.zone.recordCount;
  text = printMasterFile(built.zone.records(), { origin, presorted: true });
}
const t3 = performance.now();
writeFileSync(out, text);
const t4 = performance.now();
const s = (a, b) => (b - a) / 1000;
console.log(
  JSON.stringify({
    records: count,
    problems: problems.length,
    parseSeconds: s(t0, t1),
    buildSeconds: s(t1, t2),
    printSeconds: s(t2, t3),
    writeSeconds: s(t3, t4),
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
