#!/usr/bin/env node
// Writes a deterministic zone of about N records shaped like a large hosting
// zone: hosts with A/AAAA, aliases, mail, TXT, SRV and delegations with glue.
// Usage: node generate.mjs OUT.zone [N=1000000] [ORIGIN=bench.example.]
import { createWriteStream } from 'node:fs';

const [out, nText = '1000000', origin = 'bench.example.'] = process.argv.slice(2);
if (!out) {
  console.error('usage: node generate.mjs OUT.zone [N] [ORIGIN]');
  process.exit(2);
}
const n = Number(nText);
const w = createWriteStream(out);
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const lines = [
  `$ORIGIN ${origin}`,
  '$TTL 3600',
  '@ IN SOA ns1 hostmaster ( 2025010101 3600 900 1209600 300 )',
  '  IN NS ns1',
  '  IN NS ns2',
  '  IN MX 10 mail',
  'ns1 IN A 192.0.2.1',
  'ns2 IN A 192.0.2.2',
  'mail IN A 192.0.2.25',
];
let count = 6;
let buf = lines.join('\n') + '\n';
for (let i = 0; count < n; i++) {
  const host = `host${i}`;
  const r = rand();
  const a = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  if (r < 0.55) {
    buf += `${host} IN A ${a}\n`;
    count += 1;
  } else if (r < 0.75) {
    buf += `${host} IN A ${a}\n  IN AAAA 2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1\n`;
    count += 2;
  } else if (r < 0.85) {
    buf += `www.${host} 300 IN CNAME host${Math.floor(rand() * (i + 1))}\n`;
    count += 1;
  } else if (r < 0.91) {
    buf += `${host} IN TXT "v=spf1 ip4:${a} -all" "id=${i}"\n`;
    count += 1;
  } else if (r < 0.96) {
    buf += `_sip._tcp.${host} IN SRV 10 60 5060 sip.${host}\nsip.${host} IN A ${a}\n`;
    count += 2;
  } else if (r < 0.98) {
    buf += `${host} IN MX 10 mail\n${host} IN MX 20 mail2.${host}\nmail2.${host} IN A ${a}\n`;
    count += 3;
  } else {
    buf += `zone${i} IN NS ns1.zone${i}\nzone${i} IN NS ns2.zone${i}\nns1.zone${i} IN A ${a}\nns2.zone${i} IN A 192.0.2.3\n`;
    count += 4;
  }
  if (buf.length > 1 << 20) {
    w.write(buf);
    buf = '';
  }
}
w.write(buf);
w.end(() => console.log(`${out}: ${count} records`));
