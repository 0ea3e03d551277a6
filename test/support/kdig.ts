// Asks a server with Knot's kdig (a real, independent DNS client) and reads
// its RFC 8427 JSON output.
import { exec } from './processes.js';

export interface Rr {
  name: string;
  type: string;
  ttl: number;
  data: string;
}

export interface Answer {
  status: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'FORMERR' | string;
  aa: boolean;
  answer: Rr[];
  authority: Rr[];
}

const RCODES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  5: 'REFUSED',
};

interface JsonRr {
  NAME: string;
  TYPEname: string;
  TTL: number;
  [rdata: string]: unknown;
}

function rr(r: JsonRr): Rr {
  const data = r[`rdata${r.TYPEname}`];
  return {
    name: r.NAME,
    type: r.TYPEname,
    ttl: r.TTL,
    data: typeof data === 'string' ? data : String(r['RDATAHEX']),
  };
}

/** One query (no recursion wanted); throws when kdig gets no answer (1 s, no retry). */
export async function kdig(
  port: number,
  name: string,
  type: string,
  options: { tcp?: boolean; dnssec?: boolean } = {},
): Promise<Answer> {
  const args = [
    '@127.0.0.1',
    '-p',
    String(port),
    '+norec',
    '+json',
    '+timeout=1',
    '+retry=0',
    ...(options.tcp ? ['+tcp'] : []),
    ...(options.dnssec ? ['+dnssec'] : []),
    name,
    type,
  ];
  const r = await exec('kdig', args);
  if (r.code !== 0 || !r.stdout.trimStart().startsWith('{'))
    throw new Error(`kdig ${args.join(' ')}: no answer (exit ${r.code}) ${r.stdout}${r.stderr}`);
  const j = JSON.parse(r.stdout) as {
    RCODE: number;
    AA: number;
    answerRRs?: JsonRr[];
    authorityRRs?: JsonRr[];
  };
  return {
    status: RCODES[j.RCODE] ?? `RCODE${j.RCODE}`,
    aa: j.AA === 1,
    answer: (j.answerRRs ?? []).map(rr),
    authority: (j.authorityRRs ?? []).map(rr),
  };
}

/** The answer's RDATA of one type, sorted: what a test compares. */
export function values(a: Answer, type: string): string[] {
  return a.answer
    .filter((r) => r.type === type)
    .map((r) => r.data)
    .sort();
}
