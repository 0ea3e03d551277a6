import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, makeQuery, Name, recordToString, RRType } from '@herald/dns';
import { buildZone } from '../src/engine/build.js';
import { Catalog } from '../src/engine/catalog.js';
import { Responder } from '../src/pipeline/respond.js';
import { ZoneTextReader } from '../src/sync/zone-text.js';

const ZONE = `$TTL 300
@ SOA ns1 hostmaster 1 7200 900 1209600 60
@ NS ns1
@ NS ns2.example.net.
@ MX 10 mail
ns1 A 192.0.2.1
mail A 192.0.2.2
www A 192.0.2.3
www AAAA 2001:db8::3
alias CNAME www
*.wild TXT "wild"
sub NS ns.sub
ns.sub A 192.0.2.53
`;

function serve() {
  const r = new ZoneTextReader('example.com.');
  r.write(ZONE);
  const img = buildZone(Name.parse('example.com.').wire, r.end(), 1);
  const cat = new Catalog();
  cat.set('example.com.', img);
  return new Responder(cat, { chaos: {} });
}

function ask(resp: Responder, name: string, type: number) {
  const q = encodeMessage(makeQuery(Name.parse(name), type, { id: 7, recursionDesired: false }));
  const out = resp.respond(q, false, '127.0.0.1')!;
  const m = decodeMessage(out);
  return { m, text: [...m.answers, ...m.authorities, ...m.additionals].map((rr) => recordToString(rr)) };
}

describe('engine smoke', () => {
  const resp = serve();
  it('answers A', () => {
    const { m, text } = ask(resp, 'WWW.example.com.', RRType.A);
    expect(m.flags.aa).toBe(true);
    expect(text).toEqual(['WWW.example.com. 300 IN A 192.0.2.3']);
  });
  it('chases CNAME', () => {
    const { text } = ask(resp, 'alias.example.com.', RRType.AAAA);
    expect(text).toEqual([
      'alias.example.com. 300 IN CNAME www.example.com.',
      'www.example.com. 300 IN AAAA 2001:db8::3',
    ]);
  });
  it('wildcard, nxdomain, referral', () => {
    expect(ask(resp, 'a.b.wild.example.com.', RRType.TXT).text).toEqual([
      'a.b.wild.example.com. 300 IN TXT "wild"',
    ]);
    const nx = ask(resp, 'nope.example.com.', RRType.A);
    expect(nx.m.rcode).toBe(3);
    expect(nx.text).toEqual([
      'example.com. 60 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 60',
    ]);
    const ref = ask(resp, 'x.sub.example.com.', RRType.A);
    expect(ref.m.flags.aa).toBe(false);
    expect(ref.text).toEqual([
      'sub.example.com. 300 IN NS ns.sub.example.com.',
      'ns.sub.example.com. 300 IN A 192.0.2.53',
    ]);
    expect(ask(resp, 'example.com.', RRType.MX).text).toEqual([
      'example.com. 300 IN MX 10 mail.example.com.',
      'mail.example.com. 300 IN A 192.0.2.2',
    ]);
  });
});
