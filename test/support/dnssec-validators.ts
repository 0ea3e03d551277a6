// DNSSEC validators nobody here wrote, as small async functions for tests:
// the zone-file checkers (ldns-verify-zone, BIND's dnssec-verify, Knot's
// kzonecheck), the validating clients and resolvers asked over the network
// (BIND's delv, a private unbound, DNSViz), a reference signer (ldns-signzone)
// and a Knot DNS serving a pre-signed file. Each validator returns
// `{ ok, output }`, `ok` decided from what the tool printed (several exit 0
// on failure), `output` being its stdout and stderr for assertion messages.
//
// Validation time (`at`): ldns-verify-zone and kzonecheck have their own option
// (`-t`); dnssec-verify, delv and unbound run under libfaketime
// (`faketime --exclude-monotonic '@<epoch>'`, timers keep the real clock). BIND's
// tools are linked with jemalloc, which deadlocks with libfaketime at start
// (libfaketime issues #130, #478): they run with glibc's libc_malloc_debug.so.0
// preloaded first, which puts glibc's malloc in front of jemalloc's for
// everything but BIND's own mallocx/sdallocx pool.
//
// Needs (Debian): ldnsutils, bind9-utils, bind9-dnsutils, bind9 (DNSViz serves
// the parent zone it makes up with named), knot, knot-dnsutils, unbound,
// faketime, dnsviz. A missing tool is an error, never a skip.
import { startKnot } from '../../apps/edge/test/differential/servers.js';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec, freePort, Proc, sleep, tempDir } from './processes.js';

export interface ValidatorResult {
  ok: boolean;
  /** The tool's command line, stdout and stderr. */
  output: string;
}

export interface AtOption {
  /** Validate as if now were this instant (default: the real time). */
  at?: Date;
}

const LIBC_MALLOC = '/lib/x86_64-linux-gnu/libc_malloc_debug.so.0';

interface Run {
  code: number | null;
  output: string;
}

/** Runs a tool to completion; `at` runs it under faketime. Throws when the tool is not installed. */
async function run(
  cmd: string,
  args: string[],
  o: { at?: Date; jemalloc?: boolean; install: string },
): Promise<Run> {
  let file = cmd;
  let argv = args;
  let env: NodeJS.ProcessEnv = process.env;
  if (o.at) {
    file = 'faketime';
    argv = ['--exclude-monotonic', `@${Math.floor(o.at.getTime() / 1000)}`, cmd, ...args];
    if (o.jemalloc) {
      if (!existsSync(LIBC_MALLOC)) throw new Error(`${LIBC_MALLOC} (glibc ≥ 2.34) is missing`);
      env = { ...process.env, LD_PRELOAD: LIBC_MALLOC };
    }
  }
  let r;
  try {
    r = await exec(file, argv, env);
  } catch (e) {
    throw new Error(`${file} could not run (${(e as Error).message}): apt-get install ${o.install}`);
  }
  const output = `$ ${[file, ...argv].join(' ')}\n${r.stdout}${r.stderr}`;
  // faketime (a shell script) says so on stderr with status 127 when the command is missing.
  if (r.code === 127) throw new Error(`${cmd} is not installed: apt-get install ${o.install}\n${output}`);
  return { code: r.code, output };
}

function zoneFile(zoneText: string, prefix: string): string {
  const file = path.join(tempDir(`herald-${prefix}-`), 'zone');
  writeFileSync(file, zoneText);
  return file;
}

const abs = (name: string) => (name.endsWith('.') ? name : `${name}.`);

/** YYYYMMDDhhmmss in UTC. */
function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, '');
}

// ---------------------------------------------------------------------------
// Zone-file validators

/**
 * ldns-verify-zone (ldns 1.8): every signature, the NSEC/NSEC3 chain, the
 * DNSKEY set. ok iff it exits 0 and prints "Zone is verified and complete".
 * `at` → `-t YYYYMMDDhhmmss`.
 */
export async function ldnsVerifyZone(
  zoneText: string,
  _origin: string,
  o: AtOption = {},
): Promise<ValidatorResult> {
  const file = zoneFile(zoneText, 'ldns-verify');
  const r = await run('ldns-verify-zone', [...(o.at ? ['-t', stamp(o.at)] : []), file], {
    install: 'ldnsutils',
  });
  return { ok: r.code === 0 && /Zone is verified and complete/.test(r.output), output: r.output };
}

/**
 * BIND 9.18's dnssec-verify -o origin: every RRset signed by every algorithm
 * of the DNSKEY set, a self-signed KSK, the NSEC/NSEC3 chain. ok iff it exits
 * 0 and prints "Zone fully signed". No time option: `at` uses faketime.
 */
export async function dnssecVerify(
  zoneText: string,
  origin: string,
  o: AtOption & { singleKey?: boolean } = {},
): Promise<ValidatorResult> {
  const file = zoneFile(zoneText, 'dnssec-verify');
  // A zone signed by one combined key (CSK, SEP flag set) needs -z, or dnssec-verify reports "Missing ZSK".
  const r = await run('dnssec-verify', [...(o.singleKey ? ['-z'] : []), '-o', abs(origin), file], {
    at: o.at,
    jemalloc: true,
    install: 'bind9-utils',
  });
  return {
    ok: r.code === 0 && /Zone fully signed/.test(r.output) && !/fail|error/i.test(r.output),
    output: r.output,
  };
}

/**
 * Knot 3.2's kzonecheck -d on -o origin: semantic checks plus DNSSEC (every
 * signature valid at the given time, NSEC/NSEC3 chain, NSEC3PARAM). It prints
 * nothing on success: ok iff it exits 0 and says nothing of errors.
 * `at` → `-t <unix time>`.
 */
export async function kzonecheck(
  zoneText: string,
  origin: string,
  o: AtOption = {},
): Promise<ValidatorResult> {
  const file = zoneFile(zoneText, 'kzonecheck');
  const args = [
    '-d',
    'on',
    '-o',
    abs(origin),
    ...(o.at ? ['-t', String(Math.floor(o.at.getTime() / 1000))] : []),
  ];
  const r = await run('kzonecheck', [...args, file], { install: 'knot-dnsutils' });
  return { ok: r.code === 0 && !/error|invalid|failed|serious/i.test(r.output), output: r.output };
}

// ---------------------------------------------------------------------------
// DS lines and trust anchors

export interface Ds {
  owner: string;
  keyTag: number;
  algorithm: number;
  digestType: number;
  /** Lower-case hex. */
  digest: string;
}

/** Parses `owner [ttl] [IN] DS tag alg type hex...` (the form ldns-keygen and dnssec-dsfromkey print). */
export function parseDs(line: string): Ds {
  const t = line.replace(/;.*$/, '').trim().split(/\s+/);
  const i = t.findIndex((x) => x.toUpperCase() === 'DS');
  if (i < 1 || t.length < i + 5) throw new Error(`not a DS record: ${line}`);
  return {
    owner: abs(t[0]!).toLowerCase(),
    keyTag: Number(t[i + 1]),
    algorithm: Number(t[i + 2]),
    digestType: Number(t[i + 3]),
    digest: t
      .slice(i + 4)
      .join('')
      .toLowerCase(),
  };
}

function nameWire(name: string): Buffer {
  const labels = abs(name).toLowerCase().split('.').slice(0, -1);
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])),
    Buffer.from([0]),
  ]);
}

/** The DS digest (RFC 4034 §5.1.4) of DNSKEY `flags 3 alg base64` at `owner`, or undefined for an unknown digest type. */
function dsDigest(owner: string, dnskeyRdata: string, digestType: number): string | undefined {
  const [flags, protocol, algorithm, ...key] = dnskeyRdata.trim().split(/\s+/);
  const rdata = Buffer.concat([
    Buffer.from([(Number(flags) >> 8) & 255, Number(flags) & 255, Number(protocol), Number(algorithm)]),
    Buffer.from(key.join(''), 'base64'),
  ]);
  const hash = { 1: 'sha1', 2: 'sha256', 4: 'sha384' }[digestType];
  return hash
    ? createHash(hash)
        .update(Buffer.concat([nameWire(owner), rdata]))
        .digest('hex')
    : undefined;
}

// ---------------------------------------------------------------------------
// delv

export interface DelvOptions extends AtOption {
  server?: string;
  port: number;
  name: string;
  type: string;
  /** The zone's DS records (presentation lines): the only trust anchor. */
  trustAnchorDs: string[];
  /** The zone those DS records are for; delv starts validating there (`+root=zone`). */
  zone: string;
}

export interface DelvResult extends ValidatorResult {
  /** `positive`: "; fully validated"; `negative`: "; negative response, fully validated"; else `failed`. */
  status: 'positive' | 'negative' | 'failed';
}

/**
 * delv (BIND 9.18) asking `server` alone, validating from a static-ds trust
 * anchor for `zone` (`-a file` with `trust-anchors { "zone." static-ds ...; }`,
 * `+root=zone`). Names below a delegation cannot be asked this way (delv
 * follows no referral from a server given with @): ask the DS at the cut.
 */
export async function delvQuery(o: DelvOptions): Promise<DelvResult> {
  const dir = tempDir('herald-delv-');
  const anchors = path.join(dir, 'anchors.conf');
  const ds = o.trustAnchorDs.map(parseDs);
  writeFileSync(
    anchors,
    `trust-anchors {\n${ds
      .map((d) => `  "${d.owner}" static-ds ${d.keyTag} ${d.algorithm} ${d.digestType} "${d.digest}";`)
      .join('\n')}\n};\n`,
  );
  const r = await run(
    'delv',
    [
      `@${o.server ?? '127.0.0.1'}`,
      '-p',
      String(o.port),
      '-a',
      anchors,
      `+root=${abs(o.zone)}`,
      '+nosplit',
      o.name,
      o.type,
    ],
    { at: o.at, jemalloc: true, install: 'bind9-dnsutils' },
  );
  const status = /^; negative response, fully validated$/m.test(r.output)
    ? 'negative'
    : /^; fully validated$/m.test(r.output)
      ? 'positive'
      : 'failed';
  return { ok: status !== 'failed', status, output: r.output };
}

// ---------------------------------------------------------------------------
// unbound

export interface UnboundOptions {
  /** The authoritative server for `zone` (a stub-zone: unbound asks only it). */
  upstream: { host: string; port: number };
  zone: string;
  trustAnchorDs: string[];
  /** Run unbound under faketime at this instant. */
  at?: Date;
}

export interface UnboundAnswer {
  rcode: string;
  ad: boolean;
  /** The answer section, one `name ttl type data` line per record. */
  answer: string;
  output: string;
}

export interface Unbound {
  port: number;
  query(name: string, type: string): Promise<UnboundAnswer>;
  stop(): Promise<void>;
  proc: Proc;
}

const RCODES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  5: 'REFUSED',
};

/**
 * A private validating unbound (1.17) on a free loopback port: its own config
 * in a temporary directory, in the foreground, no chroot, no privilege drop,
 * `stub-zone` for `zone` at `upstream`, the DS lines as `trust-anchor:`
 * (nothing else trusted, no root anchor), val-permissive-mode no,
 * harden-dnssec-stripped yes, qname-minimisation off, do-not-query-localhost
 * no, every cache sized 0 and cache-max-ttl 0 (each query goes upstream again),
 * and `local-zone: <name> nodefault` for the zone and its ancestors (unbound
 * answers NXDOMAIN itself for the RFC 6761 names such as test. otherwise).
 * Queried with kdig (+dnssec, recursion desired).
 */
export async function startUnbound(o: UnboundOptions): Promise<Unbound> {
  const dir = tempDir('herald-unbound-');
  const port = await freePort();
  const zone = abs(o.zone).toLowerCase();
  const labels = zone.split('.').slice(0, -1);
  const ancestors = labels.map((_, i) => `${labels.slice(i).join('.')}.`);
  const conf = [
    'server:',
    '    interface: 127.0.0.1',
    `    port: ${port}`,
    '    do-daemonize: no',
    '    chroot: ""',
    '    username: ""',
    `    directory: "${dir}"`,
    '    pidfile: ""',
    '    use-syslog: no',
    '    logfile: ""',
    '    verbosity: 1',
    '    log-servfail: yes',
    '    do-ip6: no',
    '    do-not-query-localhost: no',
    '    qname-minimisation: no',
    '    val-permissive-mode: no',
    '    harden-dnssec-stripped: yes',
    '    module-config: "validator iterator"',
    '    trust-anchor-signaling: no',
    '    root-key-sentinel: no',
    '    cache-max-ttl: 0',
    '    cache-max-negative-ttl: 0',
    '    msg-cache-size: 0',
    '    rrset-cache-size: 0',
    '    key-cache-size: 0',
    '    neg-cache-size: 0',
    '    prefetch: no',
    '    access-control: 127.0.0.0/8 allow',
    ...ancestors.map((a) => `    local-zone: "${a}" nodefault`),
    ...o.trustAnchorDs.map((ds) => {
      const d = parseDs(ds);
      return `    trust-anchor: "${d.owner} DS ${d.keyTag} ${d.algorithm} ${d.digestType} ${d.digest}"`;
    }),
    'remote-control:',
    '    control-enable: no',
    'stub-zone:',
    `    name: "${zone}"`,
    `    stub-addr: ${o.upstream.host}@${o.upstream.port}`,
  ].join('\n');
  const confFile = path.join(dir, 'unbound.conf');
  writeFileSync(confFile, conf + '\n');
  const checked = await run('unbound-checkconf', [confFile], { install: 'unbound' });
  if (checked.code !== 0) throw new Error(`unbound-checkconf rejected the configuration:\n${checked.output}`);
  const [cmd, args] = o.at
    ? [
        'faketime',
        ['--exclude-monotonic', `@${Math.floor(o.at.getTime() / 1000)}`, 'unbound', '-d', '-c', confFile],
      ]
    : ['unbound', ['-d', '-c', confFile]];
  const proc = new Proc(`unbound :${port}`, cmd, args as string[], process.env);
  const deadline = Date.now() + 10_000;
  while (!/start of service/.test(proc.stderr + proc.stdout)) {
    if (!proc.alive) throw new Error(`unbound exited before starting:\n${proc.output()}`);
    if (Date.now() > deadline) {
      await proc.stop('SIGKILL');
      throw new Error(`unbound did not start within 10 s:\n${proc.output()}`);
    }
    await sleep(20);
  }
  return {
    port,
    proc,
    stop: () => proc.stop(),
    async query(name, type) {
      const args = [
        '@127.0.0.1',
        '-p',
        String(port),
        '+dnssec',
        '+json',
        '+timeout=5',
        '+retry=0',
        name,
        type,
      ];
      const r = await exec('kdig', args);
      const output = `$ kdig ${args.join(' ')}\n${r.stdout}${r.stderr}`;
      if (r.code !== 0 || !r.stdout.trimStart().startsWith('{'))
        throw new Error(`unbound did not answer:\n${output}\n${proc.output()}`);
      const j = JSON.parse(r.stdout) as {
        RCODE: number;
        AD: number;
        answerRRs?: { NAME: string; TTL: number; TYPEname: string; [k: string]: unknown }[];
      };
      const answer = (j.answerRRs ?? [])
        .map(
          (rr) =>
            `${rr.NAME} ${rr.TTL} ${rr.TYPEname} ${String(rr[`rdata${rr.TYPEname}`] ?? rr['RDATAHEX'])}`,
        )
        .join('\n');
      return { rcode: RCODES[j.RCODE] ?? `RCODE${j.RCODE}`, ad: j.AD === 1, answer, output };
    },
  };
}

// ---------------------------------------------------------------------------
// DNSViz

export interface DnsvizOptions {
  server?: string;
  port: number;
  zone: string;
  trustAnchorDs: string[];
}

export interface DnsvizResult extends ValidatorResult {
  /** Every error DNSViz reported, `path: CODE description`. */
  errors: string[];
  /** Every warning (not failures), same form. */
  warnings: string[];
}

// Debian bookworm's dnsviz 0.9.4 checks `pygraphviz.release`, gone from its
// python3-pygraphviz 1.7, before grok uses trusted keys: give it one, then
// run /usr/bin/dnsviz as it is.
const DNSVIZ_SHIM = `import sys, types, pygraphviz
r = types.ModuleType('pygraphviz.release'); r.version = pygraphviz.__version__
sys.modules['pygraphviz.release'] = r; pygraphviz.release = r
sys.argv = ['dnsviz'] + sys.argv[1:]
exec(compile(open('/usr/bin/dnsviz').read(), '/usr/bin/dnsviz', 'exec'))
`;

/**
 * DNSViz 0.9 against one authoritative server on any port:
 *
 *   dnsviz probe -A -x zone:ns=addr:port,... -N zone:ns=addr:port,... -D zone:ds,... zone
 *   dnsviz grok -t <the zone's DNSKEYs matching the DS>
 *
 * `-x` makes every NS name of the zone (asked from the server first) that
 * server at that port; `-N`/`-D` make DNSViz serve a parent zone of its own
 * (a named on ::1) holding that delegation and the DS lines, so the DS→DNSKEY
 * link is checked too. Run with Debian's /usr/bin/python3.
 *
 * ok iff grok reports no error anywhere, the zone and the delegation are
 * SECURE, and every answer, NODATA and NXDOMAIN it probed is SECURE (bar the
 * DS query, answered by the made-up unsigned parent). Warnings (e.g.
 * INCEPTION_WITHIN_CLOCK_SKEW for a zone signed a second ago) are listed, not
 * failures.
 *
 * Runs one at a time on the machine (a lock directory in the temporary
 * directory): DNSViz always serves its made-up parent on port 50053.
 *
 * DNSViz resolves the zone's NS names and queries their addresses too: give
 * the zone in-zone NS hosts whose addresses are 127.0.0.1 (or the server's),
 * else each unreachable address costs it ~30 s of timeouts.
 */
export async function dnsvizCheck(o: DnsvizOptions): Promise<DnsvizResult> {
  // dnsviz 0.9.4 serves the parent it makes up with a named on port 50053,
  // always the same (ZoneFileToServe._next_free_port): two probes at once
  // share that port, and one reads the other's DS. One at a time, machine-wide.
  const release = await dnsvizLock();
  try {
    return await dnsvizCheckAlone(o);
  } finally {
    release();
  }
}

const LOCK_DIR = path.join(tmpdir(), 'herald-dnsviz.lock');

/** A lock directory (mkdir is atomic) holding the owner's pid; a dead owner's lock is taken over. */
async function dnsvizLock(): Promise<() => void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      return () => rmSync(LOCK_DIR, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
    } catch {
      // being created or removed right now
    }
    if (Number.isInteger(owner) && owner > 0 && !alive(owner))
      rmSync(LOCK_DIR, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`${LOCK_DIR} held for 2 minutes (by pid ${owner})`);
    await sleep(50);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function dnsvizCheckAlone(o: DnsvizOptions): Promise<DnsvizResult> {
  const server = o.server ?? '127.0.0.1';
  const zone = abs(o.zone).toLowerCase();
  const dir = tempDir('herald-dnsviz-');
  const ds = o.trustAnchorDs.map(parseDs);
  const ask = async (type: string) => {
    const r = await exec('kdig', [
      `@${server}`,
      '-p',
      String(o.port),
      '+norec',
      '+short',
      '+timeout=2',
      zone,
      type,
    ]);
    if (r.code !== 0) throw new Error(`kdig ${zone} ${type} at ${server}:${o.port}: ${r.stdout}${r.stderr}`);
    return r.stdout.split('\n').filter((l) => l.trim() !== '');
  };
  const nsNames = await ask('NS');
  const dnskeys = await ask('DNSKEY');
  const trusted = dnskeys.filter((k) =>
    ds.some((d) => d.owner === zone && dsDigest(zone, k, d.digestType) === d.digest),
  );
  const keysFile = path.join(dir, 'trusted-keys');
  writeFileSync(keysFile, trusted.map((k) => `${zone} IN DNSKEY ${k}\n`).join(''));
  const mapping = nsNames.map((ns) => `${ns}=${server}:${o.port}`).join(',');
  const probeFile = path.join(dir, 'probe.json');
  const grokFile = path.join(dir, 'grok.json');
  const shim = path.join(dir, 'dnsviz-shim.py');
  writeFileSync(shim, DNSVIZ_SHIM);
  const probe = await run(
    '/usr/bin/python3',
    [
      shim,
      'probe',
      '-A',
      '-x',
      `${zone}:${mapping}`,
      '-N',
      `${zone}:${mapping}`,
      '-D',
      `${zone}:${ds.map((d) => `${d.keyTag} ${d.algorithm} ${d.digestType} ${d.digest}`).join(',')}`,
      '-o',
      probeFile,
      zone,
    ],
    { install: 'dnsviz' },
  );
  let output = `${probe.output}\nkdig NS: ${nsNames.join(', ')}\ntrusted DNSKEYs: ${trusted.length} of ${dnskeys.length}\n`;
  if (probe.code !== 0 || !existsSync(probeFile))
    return { ok: false, errors: ['dnsviz probe failed'], warnings: [], output };
  const grok = await run(
    '/usr/bin/python3',
    [shim, 'grok', '-P', '-t', keysFile, '-r', probeFile, '-o', grokFile],
    {
      install: 'dnsviz',
    },
  );
  output += grok.output;
  if (grok.code !== 0 || !existsSync(grokFile))
    return { ok: false, errors: ['dnsviz grok failed'], warnings: [], output };
  const doc = JSON.parse(readFileSync(grokFile, 'utf8')) as Record<string, Record<string, unknown>>;
  const errors: string[] = [];
  const warnings: string[] = [];
  const insecure: string[] = [];
  const walk = (v: unknown, at: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k === 'errors' || k === 'warnings')
          for (const e of x as { code: string; description: string }[])
            (k === 'errors' ? errors : warnings).push(`${at}: ${e.code} ${e.description}`);
        else walk(x, `${at}/${k}`);
      }
  };
  walk(doc, '');
  const z = doc[zone];
  if (!z) errors.push(`no analysis of ${zone}`);
  else {
    const status = (x: unknown) => (x as { status?: string } | undefined)?.status;
    if (status(z['zone']) !== 'SECURE') insecure.push(`zone ${status(z['zone'])}`);
    if (status(z['delegation']) !== 'SECURE') insecure.push(`delegation ${status(z['delegation'])}`);
    for (const [q, r] of Object.entries((z['queries'] ?? {}) as Record<string, Record<string, unknown[]>>)) {
      if (q === `${zone}/IN/DS`) continue;
      for (const kind of ['answer', 'nodata', 'nxdomain'])
        for (const a of r[kind] ?? []) if (status(a) !== 'SECURE') insecure.push(`${q} ${kind} ${status(a)}`);
    }
  }
  output += `\nerrors:\n${errors.join('\n')}\nnot secure:\n${insecure.join('\n')}\nwarnings:\n${warnings.join('\n')}\n`;
  return {
    ok: errors.length === 0 && insecure.length === 0,
    errors: [...errors, ...insecure],
    warnings,
    output,
  };
}

// ---------------------------------------------------------------------------
// Reference signer: ldns-keygen + ldns-signzone

export interface LdnsKey {
  role: 'ksk' | 'zsk';
  /** K<zone>+<alg>+<tag> */
  base: string;
  keyTag: number;
  /** The DNSKEY record, as ldns-keygen wrote it. */
  dnskey: string;
  /** The private key file's content (ldns/BIND format). */
  privateKey: string;
}

export interface LdnsSignOptions {
  algorithm: 13 | 15;
  nsec3: boolean;
  /** RRSIG inception / expiration; ldns-signzone's defaults: now and now + 4 weeks. */
  inception?: Date;
  expiration?: Date;
}

export interface LdnsSigned {
  signedText: string;
  /** The KSK's DS (SHA-256), one presentation line. */
  dsLines: string[];
  keys: LdnsKey[];
}

/**
 * Signs with a fresh KSK (flags 257) and ZSK (256) of `algorithm`:
 * `ldns-signzone [-n -t 0 -s ''] -o origin -f out zone K K`. NSEC3 has
 * hash 1, 0 extra iterations, an empty salt, no opt-out. The DS lines are
 * ldns-keygen's .ds file for the KSK.
 */
export async function signWithLdns(
  zoneText: string,
  origin: string,
  o: LdnsSignOptions,
): Promise<LdnsSigned> {
  const dir = tempDir('herald-ldns-sign-');
  const zone = abs(origin);
  const input = path.join(dir, 'zone');
  const out = path.join(dir, 'zone.signed');
  writeFileSync(input, zoneText);
  const keys: LdnsKey[] = [];
  for (const role of ['ksk', 'zsk'] as const) {
    // ldns-keygen writes its files into the working directory.
    const r = await exec('sh', [
      '-c',
      `cd "$1" && exec ldns-keygen -a "$2" ${role === 'ksk' ? '-k' : ''} -r /dev/urandom "$3"`,
      'sh',
      dir,
      String(o.algorithm),
      zone,
    ]);
    const base = r.stdout.trim();
    if (r.code !== 0 || !/^K.+\+\d+\+\d+$/.test(base))
      throw new Error(`ldns-keygen failed (apt-get install ldnsutils): ${r.stdout}${r.stderr}`);
    keys.push({
      role,
      base,
      keyTag: Number(base.split('+')[2]),
      dnskey: readFileSync(path.join(dir, `${base}.key`), 'utf8').trim(),
      privateKey: readFileSync(path.join(dir, `${base}.private`), 'utf8'),
    });
  }
  const ksk = keys[0]!;
  const dsLines = readFileSync(path.join(dir, `${ksk.base}.ds`), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const args = [
    ...(o.nsec3 ? ['-n', '-a', '1', '-t', '0', '-s', ''] : []),
    ...(o.inception ? ['-i', stamp(o.inception)] : []),
    ...(o.expiration ? ['-e', stamp(o.expiration)] : []),
    '-o',
    zone,
    '-f',
    out,
    input,
    ...keys.map((k) => path.join(dir, k.base)),
  ];
  const r = await run('ldns-signzone', args, { install: 'ldnsutils' });
  if (r.code !== 0 || !existsSync(out)) throw new Error(`ldns-signzone failed:\n${r.output}`);
  return { signedText: readFileSync(out, 'utf8'), dsLines, keys };
}

// ---------------------------------------------------------------------------
// Knot DNS serving a signed zone as it is

export interface ServedZone {
  port: number;
  stop(): Promise<void>;
}

/**
 * knotd serving `zoneText` as it is (Knot signs nothing unless told to), on a
 * free loopback port: the differential harness's startKnot, ready once it answers.
 */
export async function serveWithKnot(zoneText: string, origin: string): Promise<ServedZone> {
  const dir = tempDir('herald-knot-');
  const file = path.join(dir, 'zone');
  writeFileSync(file, zoneText);
  const knot = await startKnot([{ origin: abs(origin), file }]);
  return { port: knot.port, stop: () => knot.stop() };
}
