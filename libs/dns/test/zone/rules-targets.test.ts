import { describe, expect, it } from 'vitest';
import { expectNoProblem, expectProblem, problemsOf, rr } from './helpers.js';

describe('target-is-address', () => {
  it('NS, MX and SRV targets that look like IP addresses are errors, citing the RFC of each type', () => {
    const problems = problemsOf(
      rr('sub', 'NS', '192.0.2.1.'),
      rr('@', 'MX', '10 192.0.2.2.', 3600),
      rr('_sip._udp', 'SRV', '0 5 5060 192.0.2.3.'),
    );
    expect(expectProblem(problems, 'target-is-address', 'error', 'sub.example.com.').rfc).toBe(
      'RFC 1035 §3.3.11',
    );
    expect(expectProblem(problems, 'target-is-address', 'error', 'example.com.').rfc).toBe('RFC 1035 §3.3.9');
    expect(expectProblem(problems, 'target-is-address', 'error', '_sip._udp.example.com.').rfc).toBe(
      'RFC 2782',
    );
  });

  it('an address typed without its trailing dot (origin appended) is caught, with the hint', () => {
    const problems = problemsOf(
      rr('www', 'MX', '10 192.0.2.1'),
      rr('sub', 'NS', '2001:db8::53'),
      rr('_sip._udp', 'SRV', '0 5 5060 192.0.2.3'),
    );
    const p = expectProblem(problems, 'target-is-address', 'error', 'www.example.com.');
    expect(p.message).toContain('192.0.2.1.example.com.');
    expect(p.message).toContain("'192.0.2.1' was written where a host name belongs");
    expect(p.message).toContain('trailing dot');
    expect(p.rfc).toBe('RFC 1035 §3.3.9');
    expectProblem(problems, 'target-is-address', 'error', 'sub.example.com.');
    expectProblem(problems, 'target-is-address', 'error', '_sip._udp.example.com.');
  });

  it('host name targets pass', () => {
    expectNoProblem(problemsOf(rr('@', 'MX', '10 mail.example.net.', 3600)), 'target-is-address');
    // Numeric labels that are not a whole address are fine, in or out of the zone.
    expectNoProblem(
      problemsOf(rr('@', 'MX', '10 1.2.3', 3600), rr('a', 'MX', '10 192.0.2.1.host.example.net.')),
      'target-is-address',
    );
  });
});

describe('target-hostname (RFC 1123 §2.1, RFC 952)', () => {
  it('a target that is not a host name is an error naming the label', () => {
    const p = expectProblem(
      problemsOf(rr('@', 'MX', '10 mail_1.example.net.', 3600)),
      'target-hostname',
      'error',
    );
    expect(p.message).toContain("'mail_1'");
    expectProblem(
      problemsOf(rr('_s._tcp', 'SRV', '0 0 1 -bad.example.net.')),
      'target-hostname',
      'error',
      '_s._tcp.example.com.',
    );
  });

  it('a null MX and an SRV target of "." pass (RFC 7505, RFC 2782)', () => {
    const problems = problemsOf(rr('@', 'MX', '0 .', 3600), rr('_s._tcp', 'SRV', '0 0 0 .'));
    expectNoProblem(problems, 'target-hostname');
    expectNoProblem(problems, 'target-is-address');
  });
});

describe('target-cname (RFC 2181 §10.3)', () => {
  it('an in-zone MX target that is a CNAME is a warning', () => {
    const problems = problemsOf(rr('@', 'MX', '10 mail', 3600), rr('mail', 'CNAME', 'real.example.net.'));
    const p = expectProblem(problems, 'target-cname', 'warning', 'example.com.');
    expect(p.type).toBe('MX');
  });

  it('an NS target that is a CNAME is a warning too', () => {
    const problems = problemsOf(rr('@', 'NS', 'ns2', 3600), rr('ns2', 'CNAME', 'ns1'));
    expectProblem(problems, 'target-cname', 'warning', 'example.com.');
    expectNoProblem(problems, 'ns-target-no-address');
  });

  it('a target with an address passes', () => {
    expectNoProblem(
      problemsOf(rr('@', 'MX', '10 mail', 3600), rr('mail', 'A', '192.0.2.25')),
      'target-cname',
    );
  });
});

describe('wildcards (RFC 4592)', () => {
  it('wildcard-ns: NS at a wildcard is a warning', () => {
    expectProblem(
      problemsOf(rr('*.w', 'NS', 'ns.example.net.')),
      'wildcard-ns',
      'warning',
      '*.w.example.com.',
    );
    expectNoProblem(problemsOf(rr('*.w', 'A', '192.0.2.1')), 'wildcard-ns');
  });

  it('wildcard-dname: DNAME at a wildcard is a warning', () => {
    expectProblem(
      problemsOf(rr('*.w', 'DNAME', 'example.net.')),
      'wildcard-dname',
      'warning',
      '*.w.example.com.',
    );
    expectNoProblem(problemsOf(rr('w', 'DNAME', 'example.net.')), 'wildcard-dname');
  });
});
