import { describe, expect, it } from 'vitest';
import { expectNoProblem, expectProblem, problemsOf, rr } from './helpers.js';

const RRSIG = 'A 13 3 300 20300101000000 20200101000000 12345 example.com. AAAA';

describe('cname-exclusive (RFC 1034 §3.6.2, RFC 2181 §10.1)', () => {
  it('a CNAME with other data is an error naming the types', () => {
    const p = expectProblem(
      problemsOf(
        rr('www', 'CNAME', 'web.example.net.'),
        rr('www', 'A', '192.0.2.1'),
        rr('www', 'TXT', '"x"'),
      ),
      'cname-exclusive',
      'error',
      'www.example.com.',
    );
    expect(p.type).toBe('CNAME');
    expect(p.message).toContain('A, TXT');
  });

  it('RRSIG and NSEC may sit beside a CNAME (RFC 4035 §2.5)', () => {
    const problems = problemsOf(
      rr('www', 'CNAME', 'web.example.net.'),
      rr('www', 'RRSIG', RRSIG.replace(/^A/, 'CNAME')),
      rr('www', 'NSEC', 'z.example.com. CNAME RRSIG NSEC'),
    );
    expectNoProblem(problems, 'cname-exclusive');
  });
});

describe('cname-single', () => {
  it('two CNAME records at one name are an error', () => {
    expectProblem(
      problemsOf(rr('www', 'CNAME', 'a.example.net.'), rr('www', 'CNAME', 'b.example.net.')),
      'cname-single',
      'error',
      'www.example.com.',
    );
  });

  it('one passes', () => {
    expectNoProblem(problemsOf(rr('www', 'CNAME', 'a.example.net.')), 'cname-single');
  });
});

describe('cname-apex', () => {
  it('a CNAME at the apex is an error', () => {
    expectProblem(problemsOf(rr('@', 'CNAME', 'example.net.')), 'cname-apex', 'error', 'example.com.');
  });

  it('a CNAME elsewhere passes', () => {
    expectNoProblem(problemsOf(rr('www', 'CNAME', 'example.net.')), 'cname-apex');
  });
});

describe('dname-single (RFC 6672 §2.4)', () => {
  it('two DNAME records at one name are an error', () => {
    expectProblem(
      problemsOf(rr('old', 'DNAME', 'a.example.net.'), rr('old', 'DNAME', 'b.example.net.')),
      'dname-single',
      'error',
      'old.example.com.',
    );
  });

  it('one passes', () => {
    expectNoProblem(problemsOf(rr('old', 'DNAME', 'a.example.net.')), 'dname-single');
  });
});

describe('dname-occludes (RFC 6672 §2.4)', () => {
  it('data below a DNAME is a warning', () => {
    const problems = problemsOf(rr('old', 'DNAME', 'example.net.'), rr('www.old', 'A', '192.0.2.1'));
    const p = expectProblem(problems, 'dname-occludes', 'warning', 'www.old.example.com.');
    expect(p.message).toContain('old.example.com.');
  });

  it('data beside a DNAME, or a DNAME with nothing below, passes', () => {
    expectNoProblem(
      problemsOf(rr('old', 'DNAME', 'example.net.'), rr('old', 'TXT', '"moved"')),
      'dname-occludes',
    );
  });
});

describe('cname-loop (RFC 1034 §3.6.2)', () => {
  it('a CNAME loop is an error at every member', () => {
    const problems = problemsOf(
      rr('a', 'CNAME', 'b'),
      rr('b', 'CNAME', 'c'),
      rr('c', 'CNAME', 'a'),
      rr('x', 'CNAME', 'a'),
    );
    for (const owner of ['a', 'b', 'c'])
      expectProblem(problems, 'cname-loop', 'error', `${owner}.example.com.`);
    // x only leads into the loop.
    expect(problems.filter((p) => p.rule === 'cname-loop')).toHaveLength(3);
  });

  it('a CNAME to itself is a loop', () => {
    expectProblem(problemsOf(rr('self', 'CNAME', 'self')), 'cname-loop', 'error', 'self.example.com.');
  });

  it('a DNAME loop is an error', () => {
    const problems = problemsOf(rr('d1', 'DNAME', 'd2.example.com.'), rr('d2', 'DNAME', 'd1.example.com.'));
    expectProblem(problems, 'cname-loop', 'error', 'd1.example.com.');
    expectProblem(problems, 'cname-loop', 'error', 'd2.example.com.');
  });

  it('a loop through DNAME substitution and a CNAME is an error', () => {
    // www.d -> (DNAME d -> e) www.e -> (CNAME) www.d
    const problems = problemsOf(rr('d', 'DNAME', 'e.example.com.'), rr('www.e', 'CNAME', 'www.d'));
    expectProblem(problems, 'cname-loop', 'error', 'www.e.example.com.');
    expectProblem(problems, 'cname-loop', 'error', 'd.example.com.');
  });

  it('chains that end pass, as do chains that leave the zone or hit a delegation', () => {
    const problems = problemsOf(
      rr('a', 'CNAME', 'b'),
      rr('b', 'CNAME', 'c'),
      rr('c', 'A', '192.0.2.1'),
      rr('out', 'CNAME', 'a.example.net.'),
      rr('sub', 'NS', 'ns.example.net.'),
      rr('d', 'CNAME', 'x.sub'),
      rr('x.sub', 'CNAME', 'd'), // hidden below the delegation: a referral ends the chain
    );
    expectNoProblem(problems, 'cname-loop');
  });
});

describe('cname-chain-long', () => {
  const chain = (length: number) =>
    Array.from({ length }, (_, i) =>
      rr(`c${i}`, 'CNAME', i === length - 1 ? 'end.example.net.' : `c${i + 1}`),
    );

  it('a chain of more than 16 in-zone steps is a warning at its start', () => {
    const problems = problemsOf(...chain(18));
    const p = expectProblem(problems, 'cname-chain-long', 'warning', 'c0.example.com.');
    expect(p.message).toContain('18');
    expect(problems.filter((x) => x.rule === 'cname-chain-long').map((x) => x.name)).toEqual([
      'c0.example.com.',
      'c1.example.com.',
    ]);
  });

  it('16 steps pass', () => {
    expectNoProblem(problemsOf(...chain(16)), 'cname-chain-long');
  });
});
