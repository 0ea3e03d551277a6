// The query corpus, generated from the fixture zones' names: every name × a
// set of types over UDP with EDNS (what a resolver sends), then a focused set
// of answer shapes over every transport and EDNS variant, mixed-case names,
// and EDNS oddities. Deterministic: the same corpus on every run.
import { RRType, typeToString, type EdnsOption } from '@herald/dns';
import type { Transport } from './client.js';

export interface EdnsSpec {
  payloadSize: number;
  dnssecOk?: boolean;
  /** Default 0; 1 must get BADVERS (RFC 6891 §6.1.3). */
  version?: number;
  options?: EdnsOption[];
}

export interface QuerySpec {
  /** Unique and readable, e.g. `udp edns=1232 www.example.com. A`; the test's name. */
  label: string;
  /** The name as sent, case included. */
  qname: string;
  qtype: number;
  transport: Transport;
  edns?: EdnsSpec;
  /** RD in the query; resolvers send 0, stubs and dig 1. Default 0. */
  rd?: boolean;
  /** What the name exercises (see NAMES): apex, host, cname, wildcard, referral, ... */
  kind: Kind;
}

export type Kind =
  | 'apex'
  | 'host'
  | 'ent'
  | 'nxdomain'
  | 'cname'
  | 'dname'
  | 'wildcard'
  | 'referral'
  | 'large'
  | 'loop'
  | 'refused';

const EX = 'example.com.';

/** Every name queried, by what it exercises. Relative names are under example.com. */
export const NAMES: Record<Kind, readonly string[]> = {
  // child.example.com. is both a cut in example.com. and the apex of a zone served too.
  apex: [EX, 'child.example.com.', 'loop.test.'],
  host: [
    'ns1',
    'ns2',
    'mail',
    'mail2',
    'www',
    'mixedcase',
    'multi',
    'txt',
    'long',
    '_sip._tcp',
    '_ldap._tcp',
    'sip',
    'ptr',
    'naptr',
    'sshfp',
    '_443._tcp.www',
    'hinfo',
    'svc',
    '_uri',
    'www.child.example.com.',
    'ns1.child.example.com.',
  ],
  // Empty non-terminals: names that exist only because names below them do.
  ent: ['_tcp', '_tcp.www', 'new', 'ent.wild', 'wild', 'ent2'],
  nxdomain: [
    'nx',
    'nx.www',
    'a.b.c.nx',
    '_tcp.nx',
    'under_score',
    'x.mail',
    'nx.child.example.com.',
    'nx.loop.test.',
  ],
  cname: [
    'alias',
    'chain1',
    'chain2',
    'chain3',
    'out',
    'chain-out',
    'dangling',
    'chain-dangling',
    'alias-mx',
    'to-deleg',
    'to-child',
    'to-wild',
    'to-dname',
    'to-big',
    'alias-multi',
    'alias-srv',
    'back.child.example.com.',
  ],
  dname: [
    'old',
    'host.old',
    'alias.old',
    'nothing.old',
    'a.b.old',
    'host.new',
    'alias.new',
    'ext-dname',
    'host.ext-dname',
    'yx',
    'host.yx',
    `${'q'.repeat(63)}.${'r'.repeat(63)}.yx`,
  ],
  wildcard: [
    'foo.wild',
    'a.b.wild',
    '*.wild',
    'exists.wild',
    'x.ent.wild',
    'y.ent.wild',
    'foo.cw',
    'a.b.cw',
    'foo.cw-out',
    'x.ent2',
  ],
  referral: [
    'sub',
    'ns1.sub',
    'ns2.sub',
    'host.sub',
    'a.b.sub',
    'ext',
    'host.ext',
    'mixed',
    'ns.mixed',
    'host.mixed',
    'sibling',
    'host.sibling',
    'bigdeleg',
    'host.bigdeleg',
  ],
  large: ['big', 'huge'],
  loop: ['loop1.loop.test.', 'loop2.loop.test.', 'self.loop.test.', 'into-loop.loop.test.'],
  refused: ['example.org.', '.', 'com.', 'example.net.', 'xexample.com.', 'test.', 'nx.example.'],
};

/** Types asked of every name: those in the zones, some that are not, and ANY. */
export const TYPES: readonly number[] = [
  RRType.A,
  RRType.NS,
  RRType.CNAME,
  RRType.SOA,
  RRType.PTR,
  RRType.HINFO,
  RRType.MX,
  RRType.TXT,
  RRType.AAAA,
  RRType.LOC,
  RRType.SRV,
  RRType.NAPTR,
  RRType.DNAME,
  RRType.DS,
  RRType.SSHFP,
  RRType.TLSA,
  RRType.DNSKEY,
  RRType.HTTPS,
  RRType.URI,
  RRType.CAA,
  65280, // an RFC 3597 type present at multi.example.com.
  RRType.ANY,
];

/** Fewer types where more say nothing new. */
const TYPES_BY_KIND: Partial<Record<Kind, readonly number[]>> = {
  refused: [RRType.A, RRType.NS, RRType.SOA, RRType.DS, RRType.ANY],
  loop: [RRType.A, RRType.CNAME, RRType.TXT, RRType.ANY],
  nxdomain: [RRType.A, RRType.AAAA, RRType.MX, RRType.TXT, RRType.DS, RRType.CNAME, RRType.NS, RRType.ANY],
};

export function absolute(name: string): string {
  return name.endsWith('.') ? name : `${name}.${EX}`;
}

/** Transport and EDNS variants asked of the focus queries. */
const VARIANTS: ReadonlyArray<{ transport: Transport; edns?: EdnsSpec }> = [
  { transport: 'udp' },
  { transport: 'udp', edns: { payloadSize: 512 } },
  { transport: 'udp', edns: { payloadSize: 4096 } },
  { transport: 'udp', edns: { payloadSize: 1232, dnssecOk: true } },
  { transport: 'tcp' },
  { transport: 'tcp', edns: { payloadSize: 1232 } },
  { transport: 'tcp', edns: { payloadSize: 4096, dnssecOk: true } },
];

/** One query of each answer shape, asked over every transport and EDNS variant. */
const FOCUS: ReadonlyArray<[string, number]> = [
  [EX, RRType.SOA],
  [EX, RRType.NS],
  [EX, RRType.MX],
  [EX, RRType.ANY],
  [EX, RRType.DS],
  ['www', RRType.A],
  ['www', RRType.ANY],
  ['multi', RRType.ANY],
  ['txt', RRType.TXT],
  ['long', RRType.TXT],
  ['_sip._tcp', RRType.SRV],
  ['svc', RRType.HTTPS],
  ['chain1', RRType.A],
  ['chain-out', RRType.A],
  ['chain-dangling', RRType.A],
  ['to-deleg', RRType.A],
  ['host.old', RRType.A],
  [`${'q'.repeat(63)}.${'r'.repeat(63)}.yx`, RRType.A],
  ['foo.wild', RRType.A],
  ['foo.wild', RRType.MX],
  ['foo.wild', RRType.ANY],
  ['exists.wild', RRType.TXT],
  ['ent.wild', RRType.A],
  ['y.ent.wild', RRType.A],
  ['foo.cw', RRType.A],
  ['sub', RRType.NS],
  ['sub', RRType.DS],
  ['host.sub', RRType.A],
  ['ns1.sub', RRType.A],
  ['ext', RRType.A],
  ['mixed', RRType.NS],
  ['sibling', RRType.A],
  ['host.bigdeleg', RRType.A],
  ['child', RRType.DS],
  ['child', RRType.NS],
  ['big', RRType.A],
  ['big', RRType.ANY],
  ['huge', RRType.TXT],
  ['to-big', RRType.A],
  ['nx', RRType.A],
  ['loop1.loop.test.', RRType.A],
  ['example.org.', RRType.A],
];

/** Each letter's case flipped by a fixed pattern, so every run sends the same names. */
export function mixCase(name: string, seed: number): string {
  let i = seed;
  return name.replace(/[a-z]/gi, (c) => (i++ % 3 === 0 ? c.toUpperCase() : c.toLowerCase()));
}

function ednsLabel(edns: EdnsSpec | undefined): string {
  if (!edns) return 'noedns';
  let s = `edns=${edns.payloadSize}`;
  if (edns.dnssecOk) s += '+do';
  if (edns.version) s += `+v${edns.version}`;
  for (const o of edns.options ?? []) s += `+opt${o.code}`;
  return s;
}

export function buildCorpus(): QuerySpec[] {
  const out: QuerySpec[] = [];
  const seen = new Set<string>();
  const kindOf = new Map<string, Kind>();
  for (const [kind, names] of Object.entries(NAMES) as Array<[Kind, readonly string[]]>)
    for (const n of names) {
      const key = absolute(n).toLowerCase();
      if (kindOf.has(key)) throw new Error(`corpus: ${key} is listed twice in NAMES`);
      kindOf.set(key, kind);
    }
  const add = (qname: string, qtype: number, transport: Transport, edns?: EdnsSpec, rd = false) => {
    const label = `${transport} ${ednsLabel(edns)}${rd ? ' rd' : ''} ${qname} ${typeToString(qtype)}`;
    if (seen.has(label)) return;
    seen.add(label);
    const kind = kindOf.get(qname.toLowerCase());
    if (!kind) throw new Error(`corpus: ${qname} is not in NAMES`);
    out.push({ label, qname, qtype, transport, ...(edns ? { edns } : {}), ...(rd ? { rd } : {}), kind });
  };

  // 1. Every name × its types, over UDP with a 1232-octet EDNS buffer.
  for (const [kind, names] of Object.entries(NAMES) as Array<[Kind, readonly string[]]>)
    for (const n of names)
      for (const t of TYPES_BY_KIND[kind] ?? TYPES) add(absolute(n), t, 'udp', { payloadSize: 1232 });

  // 2. The focus queries over every transport and EDNS variant.
  for (const [n, t] of FOCUS) for (const v of VARIANTS) add(absolute(n), t, v.transport, v.edns);

  // 3. Mixed case (RFC 4343): every name once, alternately over UDP and TCP;
  //    the question must come back as sent.
  let seed = 0;
  for (const names of Object.values(NAMES))
    for (const n of names) {
      const name = absolute(n);
      if (name === '.') continue;
      seed++;
      const transport: Transport = seed % 2 === 0 ? 'tcp' : 'udp';
      add(mixCase(name, seed), RRType.A, transport, { payloadSize: 1232 }, true);
      if (seed % 3 === 0) add(mixCase(name, seed + 1), RRType.MX, 'udp');
    }

  // 4. EDNS oddities (RFC 6891): an unknown version, an unknown option, a
  //    payload below 512 (read as 512), an NSID request the server is not
  //    configured to answer.
  const unknownOption = { code: 65001, data: Uint8Array.of(1, 2, 3) };
  const nsid = { code: 3, data: new Uint8Array(0) };
  for (const [n, t] of [
    [EX, RRType.SOA],
    ['www', RRType.A],
    ['nx', RRType.A],
    ['example.org.', RRType.A],
  ] as const) {
    add(absolute(n), t, 'udp', { payloadSize: 1232, version: 1 });
    add(absolute(n), t, 'tcp', { payloadSize: 1232, version: 1, dnssecOk: true });
    add(absolute(n), t, 'udp', { payloadSize: 1232, options: [unknownOption] });
    add(absolute(n), t, 'udp', { payloadSize: 1232, options: [nsid] });
  }
  for (const [n, t] of [
    ['www', RRType.A],
    ['big', RRType.A],
    ['huge', RRType.TXT],
  ] as const)
    add(absolute(n), t, 'udp', { payloadSize: 100 });
  return out;
}
