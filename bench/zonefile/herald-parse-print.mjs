#!/usr/bin/env node
// Herald's side of the benchmark: stream-parse a zone file, print it back in
// canonical form, and report the phases. Runs the compiled library
// (libs/dns/dist, from `pnpm build`).
// Usage: node herald-parse-print.mjs ZONE ORIGIN OUT
import { createReadStream, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { MasterFileParser, Name, printMasterFile } from '../../libs/dns/dist/index.js';

const [file, originText, out] = process.argv.slice(2);
const t0 = performance.now();
const parser = new MasterFileParser({ origin: Name.parse(originText) });
const records = [];
for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }))
  for (const rr of parser.write(chunk)) records.push(rr);
for (const rr of parser.end()) records.push(rr);
const t1 = performance.now();
if (parser.errors.length) {
  console.error(JSON.stringify(parser.errors.slice(0, 5)));
  process.exit(1);
}
const text = printMasterFile(records, { origin: Name.parse(originText) });
const t2 = performance.now();
writeFileSync(out, text);
const t3 = performance.now();
console.log(
  JSON.stringify({
    records: records.length,
    parseSeconds: (t1 - t0) / 1000,
    printSeconds: (t2 - t1) / 1000,
    writeSeconds: (t3 - t2) / 1000,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
