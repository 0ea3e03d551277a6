// Answer shapes of the engine, per RFC: positive, CNAME chains, wildcards,
// delegations, DS at cuts, DNAME, negative answers, ANY, CHAOS, EDNS,
// truncation, malformed queries.
import { describe, expect, it } from 'vitest';
import { encodeMessage, makeQuery, Name, readEdns, RRType } from '@herald/dns';
import { ask, serve } from '../support/engine.js';

const PARENT = `$TTL 300
@ 3600 SOA ns1 hostmaster 7 7200 900 1209600 120
@ NS ns1
@ NS ns2.example.net.
@ MX 10 mail
@ MX 20 mail.example.net.
@ TXT "v=spf1 -all"
ns1 A 192.0.2.1
ns1 AAAA 2001:db8::1
mail A 192.0.2.2
www A 192.0.2.3
www AAAA 2001:db8::3
alias CNAME www
hop1 CNAME hop2
hop2 CNAME www
out CNAME www.example.net.
dangling CNAME missing
loop1 CNAME loop2
loop2 CNAME loop1
*.wild TXT "wild"
*.wild A 192.0.2.77
blocked.wild A 192.0.2.78
a.b.ent A 192.0.2.80
*.cw CNAME www
_sip._tcp SRV 10 5 5060 sip
sip A 192.0.2.9
sub NS ns.sub
sub NS ns.elsewhere.net.
sub DS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ns.sub A 192.0.2.53
child NS ns1.child
ns1.child A 192.0.2.54
dn DNAME example.net.
big TXT "${'x'.repeat(200)}"
big TXT "${'y'.repeat(200)}"
big TXT "${'z'.repeat(200)}"
`;

const CHILD = `$TTL 60
@ SOA ns1 hostmaster 3 7200 900 1209600 30
@ NS ns1
ns1 A 192.0.2.54
host A 192.0.2.55
`;

const { responder } = serve(
  { 'example.com.': PARENT, 'child.example.com.': CHILD },
  {
    nsid: Uint8Array.from(Buffer.from('edge-1')),
    chaos: { identity: 'edge-1', version: 'herald-edge test' },
  },
);
const SOA = 'example.com. 120 IN SOA ns1.example.com. hostmaster.example.com. 7 7200 900 1209600 120';

describe('positive answers (RFC 1034 §4.3.2)', () => {
  it('sets AA, answers the RRset, and echoes the question case (0x20)', () => {
    const r = ask(responder, 'wWw.ExAmple.COM.', RRType.A);
    expect(r).toMatchObject({ rcode: 0, aa: true, tc: false, authority: [], additional: [] });
    expect(r.answer).toEqual(['www.example.com. 300 IN A 192.0.2.3']);
    expect(r.msg.questions[0]!.name.toString()).toBe('wWw.ExAmple.COM.');
    expect(r.msg.flags.ra).toBe(false);
  });
  it('adds addresses of in-zone NS, MX and SRV targets to the additional section', () => {
    expect(ask(responder, 'example.com.', RRType.MX).additional).toEqual([
      'mail.example.com. 300 IN A 192.0.2.2',
    ]);
    expect(ask(responder, 'example.com.', RRType.NS).additional).toEqual([
      'ns1.example.com. 300 IN A 192.0.2.1',
      'ns1.example.com. 300 IN AAAA 2001:db8::1',
    ]);
    expect(ask(responder, '_sip._tcp.example.com.', RRType.SRV).additional).toEqual([
      'sip.example.com. 300 IN A 192.0.2.9',
    ]);
  });
  it('ignores RD and never sets RA', () => {
    const q = makeQuery(Name.parse('www.example.com.'), RRType.A, { id: 1, recursionDesired: true });
    const out = responder.respond(encodeMessage(q), false, '192.0.2.1')!;
    expect(out[2]! & 1).toBe(1); // RD copied (RFC 1035 §4.1.1)
    expect(out[3]! & 0x80).toBe(0); // RA clear
  });
});

describe('negative answers (RFC 2308)', () => {
  it('NXDOMAIN with the SOA, TTL = min(SOA TTL, MINIMUM)', () => {
    const r = ask(responder, 'nope.example.com.', RRType.A);
    expect(r).toMatchObject({ rcode: 3, aa: true, answer: [], authority: [SOA] });
  });
  it('NODATA at an existing name and at an empty non-terminal', () => {
    expect(ask(responder, 'www.example.com.', RRType.MX)).toMatchObject({
      rcode: 0,
      aa: true,
      answer: [],
      authority: [SOA],
    });
    expect(ask(responder, 'b.ent.example.com.', RRType.A)).toMatchObject({
      rcode: 0,
      answer: [],
      authority: [SOA],
    });
    expect(ask(responder, 'ent.example.com.', RRType.A)).toMatchObject({
      rcode: 0,
      answer: [],
      authority: [SOA],
    });
  });
  it('REFUSED, without AA, for names in no served zone', () => {
    expect(ask(responder, 'www.example.org.', RRType.A)).toMatchObject({ rcode: 5, aa: false, answer: [] });
  });
});

describe('CNAME (RFC 1034 §3.6.2, §4.3.2)', () => {
  it('follows chains inside the zone to the final RRset', () => {
    expect(ask(responder, 'hop1.example.com.', RRType.AAAA).answer).toEqual([
      'hop1.example.com. 300 IN CNAME hop2.example.com.',
      'hop2.example.com. 300 IN CNAME www.example.com.',
      'www.example.com. 300 IN AAAA 2001:db8::3',
    ]);
  });
  it('answers the CNAME itself for qtype CNAME, and stops at a target outside the zone', () => {
    expect(ask(responder, 'alias.example.com.', RRType.CNAME).answer).toEqual([
      'alias.example.com. 300 IN CNAME www.example.com.',
    ]);
    expect(ask(responder, 'out.example.com.', RRType.A)).toMatchObject({
      rcode: 0,
      answer: ['out.example.com. 300 IN CNAME www.example.net.'],
      authority: [],
    });
  });
  it('ends with NXDOMAIN (RFC 6604) or NODATA at the end of the chain', () => {
    expect(ask(responder, 'dangling.example.com.', RRType.A)).toMatchObject({ rcode: 3, authority: [SOA] });
    expect(ask(responder, 'alias.example.com.', RRType.MX)).toMatchObject({ rcode: 0, authority: [SOA] });
  });
  it('is loop-safe', () => {
    const r = ask(responder, 'loop1.example.com.', RRType.A);
    expect(r.rcode).toBe(0);
    expect(r.answer).toEqual([
      'loop1.example.com. 300 IN CNAME loop2.example.com.',
      'loop2.example.com. 300 IN CNAME loop1.example.com.',
    ]);
  });
});

describe('wildcards (RFC 4592)', () => {
  it('synthesizes from the closest encloser, owner = the query name', () => {
    expect(ask(responder, 'x.y.wild.example.com.', RRType.TXT).answer).toEqual([
      'x.y.wild.example.com. 300 IN TXT "wild"',
    ]);
    expect(ask(responder, 'Long-Name.wild.example.com.', RRType.A).answer).toEqual([
      'long-name.wild.example.com. 300 IN A 192.0.2.77',
    ]);
  });
  it('never through an existing name, and NODATA at a wildcard-matched name', () => {
    expect(ask(responder, 'blocked.wild.example.com.', RRType.TXT)).toMatchObject({
      rcode: 0,
      answer: [],
      authority: [SOA],
    });
    expect(ask(responder, 'x.blocked.wild.example.com.', RRType.A)).toMatchObject({ rcode: 3 });
    expect(ask(responder, 'q.wild.example.com.', RRType.MX)).toMatchObject({
      rcode: 0,
      answer: [],
      authority: [SOA],
    });
  });
  it('wildcard CNAME is followed', () => {
    expect(ask(responder, 'any.cw.example.com.', RRType.A).answer).toEqual([
      'any.cw.example.com. 300 IN CNAME www.example.com.',
      'www.example.com. 300 IN A 192.0.2.3',
    ]);
  });
});

describe('delegations (RFC 1034 §4.3.2, RFC 4035 §2.4)', () => {
  it('refers below a cut: NS in authority, glue in additional, AA clear', () => {
    for (const name of ['sub.example.com.', 'deep.x.sub.example.com.', 'ns.sub.example.com.'])
      expect(ask(responder, name, RRType.A)).toMatchObject({
        rcode: 0,
        aa: false,
        answer: [],
        authority: [
          'sub.example.com. 300 IN NS ns.elsewhere.net.',
          'sub.example.com. 300 IN NS ns.sub.example.com.',
        ],
        additional: ['ns.sub.example.com. 300 IN A 192.0.2.53'],
      });
  });
  it('answers DS at the cut from the parent side, authoritatively', () => {
    const r = ask(responder, 'sub.example.com.', RRType.DS);
    expect(r).toMatchObject({ rcode: 0, aa: true });
    expect(r.answer).toHaveLength(1);
  });
  it('with the child zone served too: the child answers, except DS (the parent)', () => {
    expect(ask(responder, 'host.child.example.com.', RRType.A)).toMatchObject({
      aa: true,
      answer: ['host.child.example.com. 60 IN A 192.0.2.55'],
    });
    expect(ask(responder, 'child.example.com.', RRType.SOA).answer[0]).toContain(
      'child.example.com. 60 IN SOA',
    );
    expect(ask(responder, 'child.example.com.', RRType.DS)).toMatchObject({
      aa: true,
      answer: [],
      authority: [SOA],
    });
  });
});

describe('DNAME (RFC 6672)', () => {
  it('synthesizes a CNAME below the owner', () => {
    expect(ask(responder, 'a.b.dn.example.com.', RRType.A)).toMatchObject({
      rcode: 0,
      aa: true,
      answer: [
        'a.b.dn.example.com. 300 IN CNAME a.b.example.net.',
        'dn.example.com. 300 IN DNAME example.net.',
      ],
    });
    expect(ask(responder, 'dn.example.com.', RRType.DNAME).answer).toEqual([
      'dn.example.com. 300 IN DNAME example.net.',
    ]);
  });
});

describe('ANY (RFC 8482)', () => {
  it('one RRset over UDP, all of them over TCP', () => {
    expect(ask(responder, 'www.example.com.', RRType.ANY).answer).toEqual([
      'www.example.com. 300 IN A 192.0.2.3',
    ]);
    expect(ask(responder, 'www.example.com.', RRType.ANY, { tcp: true }).answer).toEqual([
      'www.example.com. 300 IN A 192.0.2.3',
      'www.example.com. 300 IN AAAA 2001:db8::3',
    ]);
  });
});

describe('EDNS (RFC 6891), NSID (RFC 5001), cookies (RFC 7873)', () => {
  it('echoes OPT with our payload size 1232 and the DO bit', () => {
    const r = ask(responder, 'www.example.com.', RRType.A, { edns: { payloadSize: 4096, dnssecOk: true } });
    expect(readEdns(r.msg)).toMatchObject({ payloadSize: 1232, version: 0, dnssecOk: true });
    expect(ask(responder, 'www.example.com.', RRType.A).msg.additionals).toHaveLength(0);
  });
  it('truncates to 512 octets without EDNS and to the client size with it; TCP is whole', () => {
    const plain = ask(responder, 'big.example.com.', RRType.TXT);
    expect(plain).toMatchObject({ tc: true, answer: [] });
    expect(plain.bytes.length).toBeLessThanOrEqual(512);
    const edns = ask(responder, 'big.example.com.', RRType.TXT, { edns: { payloadSize: 1232 } });
    expect(edns).toMatchObject({ tc: false });
    expect(edns.answer).toHaveLength(3);
    expect(ask(responder, 'big.example.com.', RRType.TXT, { tcp: true }).answer).toHaveLength(3);
  });
  it('BADVERS for version 1, FORMERR for two OPT records', () => {
    const q = encodeMessage(
      makeQuery(Name.parse('www.example.com.'), RRType.A, {
        id: 9,
        recursionDesired: false,
        edns: { payloadSize: 1232 },
      }),
    );
    const v1 = Buffer.from(q);
    v1[v1.length - 5] = 1; // OPT TTL: version octet
    const bad = responder.respond(v1, false, '192.0.2.1')!;
    expect(bad[3]! & 0x0f).toBe(0);
    expect(readEdns(ask(responder, 'www.example.com.', RRType.A).msg)).toBeUndefined();
    const twoOpt = Buffer.concat([q, q.subarray(q.length - 11)]);
    twoOpt[11] = 2;
    expect(responder.respond(twoOpt, false, '192.0.2.1')![3]! & 0x0f).toBe(1);
    // The BADVERS response carries extended rcode 1 (16 >> 4) in its OPT.
    expect(bad[bad.length - 11 + 5]).toBe(1);
  });
  it('returns NSID when asked and a server cookie with the client cookie', () => {
    const q = Buffer.from(
      encodeMessage(
        makeQuery(Name.parse('www.example.com.'), RRType.A, {
          id: 9,
          recursionDesired: false,
          edns: { payloadSize: 1232 },
        }),
      ),
    );
    // Append NSID (empty) and COOKIE (8-octet client cookie) options to the OPT RDATA.
    const options = Buffer.from([0, 3, 0, 0, 0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
    const withOptions = Buffer.concat([
      q.subarray(0, q.length - 2),
      Buffer.from([0, options.length]),
      options,
    ]);
    const out = responder.respond(withOptions, false, '192.0.2.1')!;
    const opts = new Map(readEdns(decodeOut(out))!.options.map((o) => [o.code, Buffer.from(o.data)]));
    expect(opts.get(3)!.toString()).toBe('edge-1');
    const cookie = opts.get(10)!;
    expect(cookie.length).toBe(24);
    expect([...cookie.subarray(0, 8)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(cookie[8]).toBe(1); // RFC 9018 version
  });
});

describe('CHAOS and odd queries', () => {
  it('answers id.server and version.bind when configured', () => {
    expect(ask(responder, 'id.server.', RRType.TXT, { class: 3 }).answer).toEqual([
      'id.server. 0 CH TXT "edge-1"',
    ]);
    expect(ask(responder, 'VERSION.BIND.', RRType.TXT, { class: 3 }).answer).toEqual([
      'version.bind. 0 CH TXT "herald-edge test"',
    ]);
    const hidden = serve({ 'example.com.': PARENT }).responder;
    expect(ask(hidden, 'id.server.', RRType.TXT, { class: 3 })).toMatchObject({ rcode: 5, answer: [] });
  });
  it('NOTIMP for other opcodes, FORMERR for QDCOUNT 2, silence for responses and stubs', () => {
    const q = Buffer.from(
      encodeMessage(makeQuery(Name.parse('www.example.com.'), RRType.A, { id: 9, recursionDesired: false })),
    );
    const notify = Buffer.from(q);
    notify[2] = 4 << 3;
    expect(responder.respond(notify, false, 'x')![3]! & 0x0f).toBe(4);
    const two = Buffer.from(q);
    two[5] = 2;
    expect(responder.respond(two, false, 'x')![3]! & 0x0f).toBe(1);
    const response = Buffer.from(q);
    response[2] = response[2]! | 0x80;
    expect(responder.respond(response, false, 'x')).toBeNull();
    expect(responder.respond(q.subarray(0, 11), false, 'x')).toBeNull();
    expect(responder.respond(q.subarray(0, q.length - 2), false, 'x')![3]! & 0x0f).toBe(1);
  });
  it('REFUSED for AXFR and IXFR (edges do not transfer zones)', () => {
    expect(ask(responder, 'example.com.', 252, { tcp: true }).rcode).toBe(5);
  });
});

describe('review regressions', () => {
  it('a DNAME at the apex rewrites every name below it', () => {
    const { responder: r } = serve({
      'example.net.': `$TTL 300
@ SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 60
@ NS ns1.example.com.
@ DNAME example.com.
`,
    });
    expect(ask(r, 'www.example.net.', RRType.A)).toMatchObject({
      rcode: 0,
      aa: true,
      answer: ['example.net. 300 IN DNAME example.com.', 'www.example.net. 300 IN CNAME www.example.com.'],
    });
  });
  it('an RRset too large for any message: TC=1 on UDP and TCP, nothing half-built', () => {
    const txt = Array.from(
      { length: 300 },
      (_, i) => `huge TXT "${String(i).padStart(3, '0')}${'x'.repeat(250)}"`,
    ).join('\n');
    const { responder: r } = serve({ 'example.com.': `${PARENT}${txt}\n` });
    for (const tcp of [false, true]) {
      const a = ask(r, 'huge.example.com.', RRType.TXT, { tcp, edns: { payloadSize: 1232 } });
      expect(a).toMatchObject({ tc: true, answer: [], rcode: 0 });
    }
    expect(ask(r, 'www.example.com.', RRType.A).answer).toEqual(['www.example.com. 300 IN A 192.0.2.3']);
  });
  it('qtype 0 is not the minimal ANY answer', () => {
    expect(ask(responder, 'www.example.com.', 0)).toMatchObject({ answer: [], authority: [SOA] });
  });
});

import { decodeMessage } from '@herald/dns';
function decodeOut(b: Buffer) {
  return decodeMessage(b);
}
