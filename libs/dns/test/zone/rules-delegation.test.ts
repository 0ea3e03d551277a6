import { describe, expect, it } from 'vitest';
import { expectNoProblem, expectProblem, problemsOf, rr, zoneWith } from './helpers.js';

const DS = '12345 13 2 ' + 'ab'.repeat(32);

describe('occluded (RFC 1034 §4.2.1)', () => {
  it('non-glue data below a delegation is a warning', () => {
    const problems = problemsOf(rr('sub', 'NS', 'ns.example.net.'), rr('www.sub', 'TXT', '"hidden"'));
    const p = expectProblem(problems, 'occluded', 'warning', 'www.sub.example.com.');
    expect(p.type).toBe('TXT');
    expect(p.message).toContain('sub.example.com.');
  });

  it('data at a delegation point other than NS, DS and glue is a warning', () => {
    const problems = problemsOf(rr('sub', 'NS', 'ns.example.net.'), rr('sub', 'MX', '10 mail.example.net.'));
    expectProblem(problems, 'occluded', 'warning', 'sub.example.com.');
  });

  it('NS, DS and referenced glue at and below a cut pass', () => {
    const problems = problemsOf(
      rr('sub', 'NS', 'ns.sub'),
      rr('sub', 'NS', 'sub'),
      rr('sub', 'DS', DS),
      rr('sub', 'A', '192.0.2.2'),
      rr('ns.sub', 'AAAA', '2001:db8::2'),
    );
    expectNoProblem(problems, 'occluded');
    expectNoProblem(problems, 'glue-unreferenced');
  });

  it('nested delegations below a cut are themselves hidden', () => {
    expectProblem(
      problemsOf(rr('sub', 'NS', 'ns.example.net.'), rr('deeper.sub', 'NS', 'ns.example.net.')),
      'occluded',
      'warning',
      'deeper.sub.example.com.',
    );
  });
});

describe('glue-unreferenced', () => {
  it('an address below a cut that its NS records do not name is a warning', () => {
    const problems = problemsOf(
      rr('sub', 'NS', 'ns.sub'),
      rr('ns.sub', 'A', '192.0.2.2'),
      rr('old.sub', 'A', '192.0.2.3'),
    );
    const p = expectProblem(problems, 'glue-unreferenced', 'warning', 'old.sub.example.com.');
    expect(p.type).toBe('A');
    expect(problems.filter((x) => x.rule === 'glue-unreferenced')).toHaveLength(1);
  });

  it('referenced glue passes', () => {
    expectNoProblem(
      problemsOf(rr('sub', 'NS', 'ns.sub'), rr('ns.sub', 'A', '192.0.2.2')),
      'glue-unreferenced',
    );
  });
});

describe('missing-glue', () => {
  it('an in-bailiwick NS target without an address is an error', () => {
    const p = expectProblem(
      problemsOf(rr('sub', 'NS', 'ns.sub')),
      'missing-glue',
      'error',
      'sub.example.com.',
    );
    expect(p.type).toBe('NS');
    expect(p.message).toContain('ns.sub.example.com.');
  });

  it('with glue it passes; out-of-zone targets need none', () => {
    expectNoProblem(problemsOf(rr('sub', 'NS', 'ns.sub'), rr('ns.sub', 'A', '192.0.2.2')), 'missing-glue');
    expectNoProblem(problemsOf(rr('sub', 'NS', 'ns.example.net.')), 'missing-glue');
  });
});

describe('ns-target-no-address', () => {
  it('an NS target elsewhere in the zone without an address is a warning', () => {
    const problems = problemsOf(rr('@', 'NS', 'ns2', 3600), rr('sub', 'NS', 'ns3'));
    expectProblem(problems, 'ns-target-no-address', 'warning', 'example.com.');
    expectProblem(problems, 'ns-target-no-address', 'warning', 'sub.example.com.');
  });

  it('targets with addresses, or below another delegation, pass', () => {
    const problems = problemsOf(
      rr('@', 'NS', 'ns2', 3600),
      rr('ns2', 'AAAA', '2001:db8::53'),
      rr('sub', 'NS', 'ns.other'),
      rr('other', 'NS', 'ns.example.net.'),
    );
    expectNoProblem(problems, 'ns-target-no-address');
    expectNoProblem(problems, 'missing-glue');
  });
});

describe('ds-placement (RFC 4035 §2.4)', () => {
  it('DS at a delegation point passes', () => {
    expectNoProblem(problemsOf(rr('sub', 'NS', 'ns.example.net.'), rr('sub', 'DS', DS)), 'ds-placement');
  });

  it('DS at the apex is an error', () => {
    const p = expectProblem(problemsOf(rr('@', 'DS', DS)), 'ds-placement', 'error', 'example.com.');
    expect(p.type).toBe('DS');
    expect(p.message).toContain('apex');
  });

  it('DS at a name that is not a delegation is an error', () => {
    const p = expectProblem(problemsOf(rr('www', 'DS', DS)), 'ds-placement', 'error', 'www.example.com.');
    expect(p.message).toContain('no NS records');
  });

  it('apply: removing the NS of a signed delegation without its DS is refused', () => {
    const zone = zoneWith(rr('sub', 'NS', 'ns.example.net.'), rr('sub', 'DS', DS));
    const r = zone.apply([{ op: 'delete', record: rr('sub', 'NS', 'ns.example.net.') }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expectProblem(r.errors, 'ds-placement', 'error', 'sub.example.com.');
  });
});

describe('dname-ns (RFC 6672 §2.3)', () => {
  it('DNAME and NS at the same name below the apex is an error (and occluded)', () => {
    const problems = problemsOf(rr('old', 'NS', 'ns.example.net.'), rr('old', 'DNAME', 'new.example.net.'));
    const p = expectProblem(problems, 'dname-ns', 'error', 'old.example.com.');
    expect(p.type).toBe('DNAME');
    expectProblem(problems, 'occluded', 'warning', 'old.example.com.');
  });

  it('DNAME at the apex beside the apex NS passes', () => {
    expectNoProblem(problemsOf(rr('@', 'DNAME', 'example.net.')), 'dname-ns');
  });
});
