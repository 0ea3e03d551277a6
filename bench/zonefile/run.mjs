#!/usr/bin/env node
// Parse + print a generated zone with Herald and with BIND's and Knot's own
// tools on the same file in the same run, and print times, peak memory and
// ratios. Needs: `pnpm build`, and Debian's bind9-utils, knot-dnssecutils
// and time packages. Usage: node bench/zonefile/run.mjs [RECORDS=1000000]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const n = Number(process.argv[2] ?? 1_000_000);
const origin = 'bench.example.';
const outDir = path.join(here, '..', 'out');
mkdirSync(outDir, { recursive: true });
const zone = path.join(outDir, `bench-${n}.zone`);

if (!existsSync(path.join(here, '..', '..', 'libs', 'dns', 'dist', 'index.js'))) {
  console.error('build the library first: pnpm build');
  process.exit(2);
}
if (!existsSync(zone))
  execFileSync(process.execPath, [path.join(here, 'generate.mjs'), zone, String(n), origin], {
    stdio: 'inherit',
  });
console.log(`zone: ${zone} (${(statSync(zone).size / 1e6).toFixed(1)} MB)`);

/** Runs a command under /usr/bin/time for wall time and peak RSS. */
function timed(label, cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const m = /TIME ([0-9.]+) ([0-9]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) {
    console.error(`${label} failed (${r.status}):\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
    process.exit(1);
  }
  return { label, seconds: Number(m[1]), rssMB: Number(m[2]) / 1024, stdout: r.stdout };
}

const rows = [];
// Herald twice: without the zone model (parse, canonical sort, print) and with it (parse, Zone.build with
// every zone rule, print from the zone), so each phase's cost is visible.
const heraldRun = (label, mode) => {
  const r = timed(label, process.execPath, [
    path.join(here, 'herald-parse-print.mjs'),
    zone,
    origin,
    path.join(outDir, `herald-${mode}.out.zone`),
    mode,
  ]);
  r.phases = JSON.parse(r.stdout.trim().split('\n').pop());
  rows.push(r);
  return r;
};
const plain = heraldRun('herald parse+print (no zone model)', 'plain');
const herald = heraldRun('herald parse+build/check+print', 'zone');
const phases = herald.phases;
rows.push(
  timed('named-checkzone -i local (parse+check)', 'named-checkzone', ['-q', '-i', 'local', origin, zone]),
);
rows.push(
  timed('named-compilezone (parse+check+print)', 'named-compilezone', [
    '-q',
    '-i',
    'none',
    '-o',
    path.join(outDir, 'bind.out.zone'),
    origin,
    zone,
  ]),
);
rows.push(timed('kzonecheck (parse+semantic checks)', 'kzonecheck', ['-o', origin, zone]));

console.log(
  `herald plain phases: parse ${plain.phases.parseSeconds.toFixed(2)} s, sort+print ${plain.phases.printSeconds.toFixed(2)} s`,
);
console.log(
  `herald zone phases: parse ${phases.parseSeconds.toFixed(2)} s, build+check ${phases.buildSeconds.toFixed(2)} s, ` +
    `print ${phases.printSeconds.toFixed(2)} s, write ${phases.writeSeconds.toFixed(2)} s; ` +
    `${phases.records} records, ${phases.problems} zone-rule findings`,
);
console.log('');
console.log(
  'tool'.padEnd(42) +
    'seconds'.padStart(9) +
    'peak RSS MB'.padStart(13) +
    '  herald time ratio (no model / with model)',
);
for (const r of rows)
  console.log(
    r.label.padEnd(42) +
      r.seconds.toFixed(2).padStart(9) +
      r.rssMB.toFixed(0).padStart(13) +
      (r.phases
        ? ''
        : `  ${(plain.seconds / r.seconds).toFixed(2)}x / ${(herald.seconds / r.seconds).toFixed(2)}x`),
  );
