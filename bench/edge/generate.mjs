#!/usr/bin/env node
// Writes a deterministic zone with N owner names below the apex, a query file
// for it and a small JSON description. Usable on its own:
//   node bench/edge/generate.mjs OUT_PREFIX [NAMES=10000] [QUERIES=1000000] [ORIGIN=bench.example.]
// writes OUT_PREFIX.zone, OUT_PREFIX.queries and OUT_PREFIX.json.
//
// Zone: SOA, two NS with glue, a mail host, then N names shaped like a hosting
// zone (name prefixes host/web/api/..., 10 % of them one level down under
// eu/us/ap):
//   55 % A · 20 % A+AAAA · 8 % CNAME to an A name · 7 % A+MX+TXT ·
//    5 % TXT only · 5 % A+AAAA+MX+TXT
// Queries, one per line as `name TYPE expect` (expect: a = answer, d = NODATA,
// x = NXDOMAIN), names drawn uniformly from the whole zone:
//   62 % A on names with A or CNAME · 15 % AAAA on dual-stack names ·
//    5 % MX/TXT on names that have them · 8 % NODATA (AAAA on A-only names,
//   A on TXT-only names, MX on A-only names) · 10 % NXDOMAIN (names shaped like
//   real ones that do not exist); 25 % of the queries in random mixed case.
import { createWriteStream, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Bump when the output changes, so cached files are regenerated. */
export const GENERATOR_VERSION = 1;

const PREFIXES = ['host', 'web', 'api', 'db', 'mail', 'vpn', 'cdn', 'app', 'shop', 'dev'];
const REGIONS = ['eu', 'us', 'ap'];

/** mulberry32: small, fast, deterministic. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ipv4 = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const ipv6 = (i) => `2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`;

class Writer {
  constructor(file) {
    this.stream = createWriteStream(file);
    this.buf = '';
  }
  async line(s) {
    this.buf += s + '\n';
    if (this.buf.length > 1 << 20) {
      const chunk = this.buf;
      this.buf = '';
      if (!this.stream.write(chunk)) await new Promise((r) => this.stream.once('drain', r));
    }
  }
  end() {
    return new Promise((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(this.buf, resolve);
    });
  }
}

/**
 * Generates PREFIX.zone, PREFIX.queries, PREFIX.json (written under temporary
 * names and renamed at the end, so an interrupted run leaves no half file).
 * Returns the description.
 */
export async function generate(prefix, names, queries = 1_000_000, origin = 'bench.example.') {
  const rand = prng(0x5eed + names);
  const kind = new Uint8Array(names); // 0 A, 1 A+AAAA, 2 CNAME, 3 A+MX+TXT, 4 TXT, 5 A+AAAA+MX+TXT
  const owner = (i) => {
    const p = PREFIXES[i % PREFIXES.length];
    return i % 10 === 7 ? `${p}${i}.${REGIONS[i % 3]}` : `${p}${i}`;
  };
  const zone = new Writer(`${prefix}.zone.tmp`);
  await zone.line(`$ORIGIN ${origin}`);
  await zone.line('$TTL 3600');
  await zone.line('@ IN SOA ns1 hostmaster 2025010101 3600 900 1209600 300');
  await zone.line('@ IN NS ns1');
  await zone.line('@ IN NS ns2');
  await zone.line('@ IN MX 10 mail');
  await zone.line('ns1 IN A 192.0.2.1');
  await zone.line('ns2 IN A 192.0.2.2');
  await zone.line('mail IN A 192.0.2.25');
  let records = 7;
  let lastA = -1;
  for (let i = 0; i < names; i++) {
    const r = rand();
    const o = owner(i);
    let k;
    if (r < 0.55 || (r < 0.83 && r >= 0.75 && lastA < 0)) k = 0;
    else if (r < 0.75) k = 1;
    else if (r < 0.83) k = 2;
    else if (r < 0.9) k = 3;
    else if (r < 0.95) k = 4;
    else k = 5;
    kind[i] = k;
    if (k !== 2 && k !== 4) {
      await zone.line(`${o} IN A ${ipv4(i)}`);
      records++;
      lastA = i;
    }
    if (k === 1 || k === 5) {
      await zone.line(`${o} IN AAAA ${ipv6(i)}`);
      records++;
    }
    if (k === 2) {
      // An alias of an earlier name that has an A record (a CNAME never points at a CNAME or TXT-only name).
      let t = Math.floor(rand() * i);
      while (kind[t] === 2 || kind[t] === 4) t = t === 0 ? lastA : t - 1;
      await zone.line(`${o} 300 IN CNAME ${owner(t)}`);
      records++;
    }
    if (k === 3 || k === 5) {
      await zone.line(`${o} IN MX 10 mail`);
      records++;
    }
    if (k === 3 || k === 4 || k === 5) {
      await zone.line(
        `${o} IN TXT "v=spf1 ip4:${ipv4(i)} -all" "site-verification=${(i * 2654435761) >>> 0}"`,
      );
      records++;
    }
  }
  await zone.end();

  // Queries: pick names uniformly and keep the draws that fit the wanted category.
  const q = new Writer(`${prefix}.queries.tmp`);
  const qr = prng(0xbeef + names);
  const pick = (ok) => {
    for (let tries = 0; tries < 1000; tries++) {
      const i = Math.floor(qr() * names);
      if (ok(kind[i])) return i;
    }
    return -1;
  };
  const mixCase = (name) => {
    if (qr() >= 0.25) return name;
    let out = '';
    for (const c of name) out += c >= 'a' && c <= 'z' && qr() < 0.5 ? c.toUpperCase() : c;
    return out;
  };
  const counts = { a: 0, d: 0, x: 0 };
  for (let n = 0; n < queries; n++) {
    const r = qr();
    let name;
    let type;
    let expect;
    let i = -1;
    if (r < 0.62) {
      i = pick((k) => k !== 4);
      [type, expect] = ['A', 'a'];
    } else if (r < 0.77) {
      i = pick((k) => k === 1 || k === 5);
      [type, expect] = ['AAAA', 'a'];
    } else if (r < 0.82) {
      i = pick((k) => k === 3 || k === 5);
      [type, expect] = [qr() < 0.5 ? 'MX' : 'TXT', 'a'];
    } else if (r < 0.9) {
      const s = qr();
      if (s < 0.5) [i, type] = [pick((k) => k === 0), 'AAAA'];
      else if (s < 0.75) [i, type] = [pick((k) => k === 4), 'A'];
      else [i, type] = [pick((k) => k === 0), 'MX'];
      expect = 'd';
    } else {
      // Shaped like a real name, but with an index past the end or an unknown label.
      const j = Math.floor(qr() * names);
      name =
        qr() < 0.5
          ? `${PREFIXES[j % PREFIXES.length]}${names + j}.${origin}`
          : `${PREFIXES[j % PREFIXES.length]}${j}-old.${origin}`;
      [type, expect] = [qr() < 0.8 ? 'A' : 'AAAA', 'x'];
    }
    if (name === undefined) {
      if (i < 0) {
        // This category does not exist in a tiny zone: ask the apex SOA instead.
        [name, type, expect] = [origin, 'SOA', 'a'];
      } else name = `${owner(i)}.${origin}`;
    }
    counts[expect]++;
    await q.line(`${mixCase(name)} ${type} ${expect}`);
  }
  await q.end();

  const probeIndex = lastA;
  const meta = {
    generator: GENERATOR_VERSION,
    origin,
    names,
    records,
    queries,
    expect: counts,
    // The last A name in the file: an answer for it means the whole zone is loaded.
    probe: { name: `${owner(probeIndex)}.${origin}`, a: ipv4(probeIndex) },
  };
  renameSync(`${prefix}.zone.tmp`, `${prefix}.zone`);
  renameSync(`${prefix}.queries.tmp`, `${prefix}.queries`);
  writeFileSync(`${prefix}.json`, JSON.stringify(meta, null, 2) + '\n');
  return meta;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [prefix, names = '10000', queries = '1000000', origin = 'bench.example.'] = process.argv.slice(2);
  if (!prefix) {
    console.error(
      'usage: node generate.mjs OUT_PREFIX [NAMES=10000] [QUERIES=1000000] [ORIGIN=bench.example.]',
    );
    process.exit(2);
  }
  const meta = await generate(prefix, Number(names), Number(queries), origin);
  console.log(JSON.stringify(meta));
}
