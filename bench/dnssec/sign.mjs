#!/usr/bin/env node
// Signing benchmark: the same unsigned zone signed by ldns-signzone,
// dnssec-signzone, Knot DNS (1 and 2 signing threads) and Herald
// (bench/dnssec/herald-signer.mjs), algorithm 13, NSEC3 with 0 extra
// iterations and an empty salt; then the time to re-sign after a one-record
// change. Prints a table: tool, threads, seconds, signatures, NSEC3, ratio to
// Knot with 2 threads. See bench/README.md.
//
//   node bench/dnssec/sign.mjs                 # 100,000 names
//   node bench/dnssec/sign.mjs --names 10000   # a quick run
//   options: --keep (keep the temporary directory), --json (raw results as a last line),
//            --timeout-min M (whole run, default 30)
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  appendFileSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generate } from '../edge/generate.mjs';
import {
  cleanup,
  freePort,
  installCleanup,
  runChild,
  startChild,
  stopChild,
  trackDir,
} from '../edge/proc.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const NAMES = Number(opt('--names', '100000'));
const KEEP = args.includes('--keep');
const JSON_OUT = args.includes('--json');
const TIMEOUT_MIN = Number(opt('--timeout-min', '30'));
const ORIGIN = 'bench.example.';
const CHANGE = { owner: 'bench-change', type: 'A', data: '192.0.2.1' };

installCleanup();
const dir = mkdtempSync(path.join(tmpdir(), 'herald-bench-dnssec-'));
if (!KEEP) trackDir(dir);
else console.error(`keeping ${dir}`);
setTimeout(() => {
  console.error(`time limit (${TIMEOUT_MIN} min) reached`);
  cleanup();
  process.exit(1);
}, TIMEOUT_MIN * 60_000).unref();

const log = (s) => console.error(s);
const fmt = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(d));

/** Runs to completion, timed with the wall clock; throws with its output on a non-zero exit. */
async function timed(cmd, argv, { cwd, env } = {}) {
  const t0 = performance.now();
  const r = await runChild('sh', ['-c', 'cd "$1" && shift && exec "$@"', 'sh', cwd ?? dir, cmd, ...argv], {
    env,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.code !== 0)
    throw new Error(`${cmd} ${argv.join(' ')}: exit ${r.code}\n${r.stdout}${r.stderr}`.slice(0, 4000));
  return { seconds, ...r };
}

/** RRSIG records and NSEC3 records in a master file (one record per line; parenthesised continuations skipped). */
async function countSigned(file) {
  let signatures = 0;
  let nsec3 = 0;
  let depth = 0;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    const inside = depth > 0;
    for (const c of line.replace(/;.*$/, '').replace(/"(?:[^"\\]|\\.)*"/g, '')) {
      if (c === '(') depth++;
      else if (c === ')') depth--;
    }
    if (inside) continue;
    const body = line.replace(/;.*$/, '');
    if (body.trim() === '' || body.startsWith('$')) continue;
    const t = body.trim().split(/\s+/);
    let i = /^\s/.test(body) ? 0 : 1;
    for (let k = 0; k < 2; k++) if (/^\d+$/.test(t[i]) || /^(IN|CH|HS|CLASS\d+)$/i.test(t[i])) i++;
    const type = (t[i] ?? '').toUpperCase();
    if (type === 'RRSIG') signatures++;
    else if (type === 'NSEC3') nsec3++;
  }
  return { signatures, nsec3 };
}

// ---------------------------------------------------------------------------
// The zone: bench/edge/generate.mjs's hosting zone (A, AAAA, CNAME, MX, TXT,
// names one level down) for 99 % of the names, plus 1 % delegations with glue,
// half of them with a DS.

async function makeZone() {
  const delegations = Math.max(2, Math.round(NAMES / 100));
  const meta = await generate(path.join(dir, 'gen'), NAMES - delegations, 0, ORIGIN);
  let text = '';
  for (let i = 0; i < delegations; i++) {
    text += `deleg${i} IN NS ns1.deleg${i}\ndeleg${i} IN NS ns2.example.net.\nns1.deleg${i} IN A 192.0.2.${i % 250}\n`;
    if (i % 2 === 0)
      text += `deleg${i} IN DS ${(i * 7919) % 65536} 13 2 ${createHash('sha256').update(`deleg${i}`).digest('hex')}\n`;
  }
  const file = path.join(dir, 'unsigned.zone');
  writeFileSync(file, readFileSync(path.join(dir, 'gen.zone')));
  appendFileSync(file, text);
  return { file, records: meta.records + delegations * 3 + Math.ceil(delegations / 2), delegations };
}

/** The unsigned zone plus the one record and a serial one higher (for the tools that re-read a file). */
function changedZone(signedFile, out) {
  let text = readFileSync(signedFile, 'utf8');
  // The SOA serial of generate.mjs is 2025010101, in the SOA record of every output here.
  const before = text;
  text = text.replace(/(\sSOA\s+\S+\s+\S+\s+)(\d+)/, (_, pre, serial) => `${pre}${Number(serial) + 1}`);
  if (text === before) throw new Error(`no SOA serial found in ${signedFile}`);
  text += `\n${CHANGE.owner}.${ORIGIN} 3600 IN ${CHANGE.type} ${CHANGE.data}\n`;
  writeFileSync(out, text);
}

// ---------------------------------------------------------------------------
// ldns-signzone

async function ldns(unsigned) {
  const kdir = path.join(dir, 'ldns');
  await runChild('mkdir', ['-p', kdir]);
  const keys = [];
  for (const ksk of [true, false]) {
    const r = await timed('ldns-keygen', ['-a', '13', ...(ksk ? ['-k'] : []), '-r', '/dev/urandom', ORIGIN], {
      cwd: kdir,
    });
    keys.push(path.join(kdir, r.stdout.trim()));
  }
  const out = path.join(kdir, 'signed.zone');
  const run = await timed('ldns-signzone', [
    '-n',
    '-a',
    '1',
    '-t',
    '0',
    '-s',
    '',
    '-o',
    ORIGIN,
    '-f',
    out,
    unsigned,
    ...keys,
  ]);
  return { tool: 'ldns-signzone', threads: 1, seconds: run.seconds, ...(await countSigned(out)), out };
}

// ---------------------------------------------------------------------------
// dnssec-signzone (BIND 9.18)

async function bindKeys() {
  const kdir = path.join(dir, 'bind');
  await runChild('mkdir', ['-p', kdir]);
  await timed('dnssec-keygen', ['-q', '-a', 'ECDSAP256SHA256', '-f', 'KSK', '-K', kdir, ORIGIN]);
  await timed('dnssec-keygen', ['-q', '-a', 'ECDSAP256SHA256', '-K', kdir, ORIGIN]);
  return kdir;
}

/** -S: keys from -K; -3 - -H 0: NSEC3, empty salt, 0 iterations; -n 1: one thread; -P: no verification pass; -O full: one record per line. */
const bindArgs = (kdir, input, out) => [
  '-S',
  '-K',
  kdir,
  '-3',
  '-',
  '-H',
  '0',
  '-n',
  '1',
  '-P',
  '-O',
  'full',
  '-o',
  ORIGIN,
  '-f',
  out,
  input,
];

async function bind(unsigned, kdir) {
  const out = path.join(kdir, 'signed.zone');
  const run = await timed('dnssec-signzone', bindArgs(kdir, unsigned, out));
  return { tool: 'dnssec-signzone', threads: 1, seconds: run.seconds, ...(await countSigned(out)), out };
}

/** dnssec-signzone given its own signed output plus one record: it keeps the valid signatures and signs what lacks one. */
async function bindIncremental(signed, kdir) {
  const input = path.join(kdir, 'changed.zone');
  changedZone(signed, input);
  const out = path.join(kdir, 'resigned.zone');
  const run = await timed('dnssec-signzone', bindArgs(kdir, input, out));
  const grep = await runChild('grep', [
    '-c',
    `^${CHANGE.owner}\\.${ORIGIN.replace(/\./g, '\\.')}.*RRSIG`,
    out,
  ]);
  if (Number(grep.stdout.trim()) < 1) throw new Error('dnssec-signzone: the added record is not signed');
  return run.seconds;
}

// ---------------------------------------------------------------------------
// Knot DNS 3.2

/**
 * knotd in the foreground with the unsigned zone and a signing policy. Timed
 * from the spawn to its log line "DNSSEC, successfully signed" (parse, key
 * generation, sign, NSEC3 chain; the zone is not written back); `signOnly` is
 * from "DNSSEC, signing started" to that line. The lines are timed as they
 * arrive (Knot's own log stamps have whole seconds only).
 */
async function knot(unsigned, threads, { change = false } = {}) {
  const kdir = path.join(dir, `knot${threads}`);
  await runChild('mkdir', ['-p', kdir]);
  const port = await freePort();
  const conf = path.join(kdir, 'knot.conf');
  writeFileSync(
    conf,
    [
      'server:',
      `    rundir: ${kdir}`,
      `    listen: 127.0.0.1@${port}`,
      '    udp-workers: 1',
      '    tcp-workers: 1',
      '    background-workers: 1',
      'log:',
      '  - target: stderr',
      '    any: info',
      'database:',
      `    storage: ${kdir}`,
      'policy:',
      '  - id: bench',
      '    algorithm: ecdsap256sha256',
      '    nsec3: on',
      '    nsec3-iterations: 0',
      '    nsec3-salt-length: 0',
      '    nsec3-opt-out: off',
      '    cds-cdnskey-publish: none',
      `    signing-threads: ${threads}`,
      'template:',
      '  - id: default',
      '    zonefile-sync: -1',
      '    zonefile-load: whole',
      '    journal-content: none',
      '    semantic-checks: off',
      '    dnssec-signing: on',
      '    dnssec-policy: bench',
      'zone:',
      `  - domain: ${ORIGIN}`,
      `    file: ${unsigned}`,
    ].join('\n') + '\n',
  );
  const t0 = performance.now();
  const child = startChild('knotd', ['-c', conf]);
  let logText = '';
  const marks = {};
  const watch = (d) => {
    logText += d;
    const now = performance.now();
    if (!marks.started && /DNSSEC, signing started/.test(logText)) marks.started = now;
    if (!marks.signed && /DNSSEC, successfully signed/.test(logText)) marks.signed = now;
    if (!marks.ready && /control, binding to/.test(logText)) marks.ready = now;
  };
  child.stdout.setEncoding('utf8').on('data', watch);
  child.stderr.setEncoding('utf8').on('data', watch);
  try {
    while (!(marks.signed && marks.ready)) {
      if (!child.alive()) throw new Error(`knotd exited:\n${logText.slice(-3000)}`);
      if (/\s(error|critical):/.test(logText)) throw new Error(`knotd:\n${logText.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const result = {
      tool: 'knot',
      threads,
      seconds: (marks.signed - t0) / 1000,
      signOnly: (marks.signed - marks.started) / 1000,
    };
    const knotc = (...a) => timed('knotc', ['-c', conf, ...a]);
    const flushDir = path.join(kdir, 'flush');
    await runChild('mkdir', ['-p', flushDir]);
    await knotc('-b', 'zone-flush', ORIGIN, '+outdir', flushDir);
    const out = path.join(flushDir, path.basename(unsigned));
    Object.assign(result, await countSigned(out), { out });
    if (change) {
      // One record through a control transaction; zone-commit returns once the
      // change is applied and incrementally signed ("DNSSEC, incrementally signed").
      const serialBefore = await soaSerial(port);
      await knotc('zone-begin', ORIGIN);
      await knotc('zone-set', ORIGIN, CHANGE.owner, '3600', CHANGE.type, CHANGE.data);
      const c0 = performance.now();
      await knotc('zone-commit', ORIGIN);
      // Until a new serial is served with the signed record.
      for (;;) {
        const r = await runChild('kdig', [
          '@127.0.0.1',
          '-p',
          String(port),
          '+norec',
          '+dnssec',
          '+short',
          `${CHANGE.owner}.${ORIGIN}`,
          CHANGE.type,
        ]);
        if (/^A 13 /m.test(r.stdout) && (await soaSerial(port)) !== serialBefore) break;
        if (performance.now() - c0 > 60_000)
          throw new Error(`knot: the change is not served signed: ${r.stdout}`);
      }
      result.change = (performance.now() - c0) / 1000;
      if (!/DNSSEC, incrementally signed/.test(logText))
        throw new Error(`knot: no incremental signing logged`);
    }
    return result;
  } finally {
    await stopChild(child);
  }
}

async function soaSerial(port) {
  const r = await runChild('kdig', ['@127.0.0.1', '-p', String(port), '+norec', '+short', ORIGIN, 'SOA']);
  return r.stdout.trim().split(/\s+/)[2];
}

// ---------------------------------------------------------------------------
// Herald: bench/dnssec/herald-signer.mjs ORIGIN UNSIGNED OUT [--threads N] [--change 'owner TYPE data'],
// which prints one JSON line {"seconds", "signatures", "nsec3", ...[, "change": {"seconds"}]}.

async function herald(unsigned, threads, { change = false } = {}) {
  const script = path.join(here, 'herald-signer.mjs');
  if (!existsSync(script)) return { tool: 'herald', threads, unavailable: 'not available' };
  const out = path.join(dir, `herald${threads}.zone`);
  const argv = [
    script,
    ORIGIN,
    unsigned,
    out,
    '--threads',
    String(threads),
    ...(change ? ['--change', `${CHANGE.owner} ${CHANGE.type} ${CHANGE.data}`] : []),
  ];
  const t0 = performance.now();
  const r = await runChild(process.execPath, argv);
  const wall = (performance.now() - t0) / 1000;
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let j;
  try {
    j = JSON.parse(line);
  } catch {
    const text = `${r.stderr}${r.stdout}`.trim();
    const reason = text.split('\n').find((l) => /Error|error:/.test(l)) ?? text.split('\n').pop();
    return { tool: 'herald', threads, unavailable: `failed (exit ${r.code}): ${reason}` };
  }
  const counted = existsSync(out) ? await countSigned(out) : {};
  return {
    tool: 'herald',
    threads,
    // Comparable with the others: the whole process (load, keys, sign, write), as for ldns and BIND.
    seconds: wall,
    signOnly: j.seconds,
    signatures: counted.signatures ?? j.signatures,
    nsec3: counted.nsec3 ?? j.nsec3,
    reported: { signatures: j.signatures, nsec3: j.nsec3 },
    change: change ? (j.change?.seconds ?? j.seconds) : undefined,
    out,
  };
}

// ---------------------------------------------------------------------------

async function main() {
  log(`generating a ${NAMES.toLocaleString('en')}-name zone in ${dir}`);
  const zone = await makeZone();
  log(`  ${zone.records.toLocaleString('en')} records, ${zone.delegations} delegations`);
  const results = [];
  const step = async (label, fn) => {
    log(`${label}…`);
    try {
      const r = await fn();
      results.push(r);
      log(`  ${r.unavailable ?? `${fmt(r.seconds)} s`}`);
      return r;
    } catch (e) {
      log(`  FAILED: ${e.message}`);
      results.push({ tool: label, failed: e.message.split('\n')[0] });
      return undefined;
    }
  };
  const ld = await step('ldns-signzone', () => ldns(zone.file));
  const kdir = await bindKeys();
  const bd = await step('dnssec-signzone', () => bind(zone.file, kdir));
  await step('knot, 1 signing thread', () => knot(zone.file, 1));
  const k2 = await step('knot, 2 signing threads', () => knot(zone.file, 2, { change: true }));
  await step('herald, 1 thread', () => herald(zone.file, 1));
  const h2 = await step('herald, 2 threads', () => herald(zone.file, 2));
  if (h2 && !h2.unavailable) {
    // A run of its own, so that a failing --change does not cost the full-sign numbers.
    log('herald, re-sign after one change…');
    const hc = await herald(zone.file, 2, { change: true });
    if (hc.unavailable) log(`  ${hc.unavailable}`);
    else {
      h2.change = hc.change;
      log(`  ${fmt(hc.change, 3)} s`);
    }
  }

  let bindChange;
  if (bd) {
    log('dnssec-signzone, re-sign after one change…');
    try {
      bindChange = await bindIncremental(bd.out, kdir);
      bd.change = bindChange;
    } catch (e) {
      log(`  FAILED: ${e.message}`);
    }
  }
  if (ld) ld.change = ld.seconds; // no incremental mode: the whole zone again

  const ref = k2?.seconds;
  const rows = results.map((r) => {
    if (r.failed || r.unavailable)
      return [
        r.tool,
        String(r.threads ?? ''),
        r.unavailable === 'not available' ? 'not available' : 'FAILED (above)',
        '',
        '',
        '',
        '',
        '',
        '',
      ];
    return [
      r.tool,
      String(r.threads),
      fmt(r.seconds),
      r.signOnly !== undefined ? fmt(r.signOnly) : '–',
      r.signatures.toLocaleString('en'),
      r.nsec3.toLocaleString('en'),
      ref ? `${fmt(r.seconds / ref)}×` : '–',
      r.change !== undefined ? fmt(r.change, 3) : '–',
      r.tool === 'ldns-signzone'
        ? 'full re-sign (no incremental mode)'
        : r.tool === 'dnssec-signzone'
          ? 'incremental (its own signed output + 1 record)'
          : r.change !== undefined
            ? 'incremental'
            : '',
    ];
  });
  const head = [
    'tool',
    'threads',
    'seconds',
    'sign s',
    'signatures',
    'NSEC3',
    '× knot-2',
    'change s',
    'change',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(
    `\nDNSSEC signing: ${NAMES.toLocaleString('en')} names (${zone.records.toLocaleString('en')} records, ${zone.delegations} delegations), algorithm 13, NSEC3 1 0 0 -`,
  );
  console.log(line(head));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
  console.log(
    '\nseconds: whole run (ldns, BIND, herald: the process, parse to written file; knot: spawn to "successfully signed").' +
      '\nsign s: the signing step alone where the tool reports it. × knot-2: seconds / Knot with 2 signing threads (< 1: faster).',
  );
  if (ref) {
    const h2 = results.find((r) => r.tool === 'herald' && r.threads === 2 && r.seconds);
    console.log(
      h2
        ? `goal, full sign faster than Knot with two threads: ${h2.seconds < ref ? 'MET' : 'NOT MET'} (${fmt(h2.seconds)} s vs ${fmt(ref)} s)`
        : 'goal, full sign faster than Knot with two threads: herald not measured',
    );
  }
  if (JSON_OUT)
    console.log(
      JSON.stringify({ names: NAMES, records: zone.records, results: results.map(({ out: _o, ...r }) => r) }),
    );
}

await main();
cleanup();
