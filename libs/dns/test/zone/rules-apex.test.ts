import { describe, expect, it } from 'vitest';
import { Zone } from '../../src/index.js';
import { baseRecords, expectNoProblem, expectProblem, ORIGIN, problemsOf, rr } from './helpers.js';

describe('soa-apex (RFC 1035 §5.2)', () => {
  it('a zone without an SOA is an error at the apex', () => {
    const { zone, problems } = Zone.build(ORIGIN, [rr('@', 'NS', 'ns1'), rr('ns1', 'A', '192.0.2.53')]);
    expect(zone).toBeUndefined();
    const p = expectProblem(problems, 'soa-apex', 'error', 'example.com.');
    expect(p.type).toBe('SOA');
  });

  it('an empty zone lacks SOA and NS', () => {
    const { problems } = Zone.build(ORIGIN, []);
    expect(problems.map((p) => p.rule)).toEqual(['ns-apex', 'soa-apex']);
  });

  it('two SOA records are an error', () => {
    const p = expectProblem(
      problemsOf(rr('@', 'SOA', 'ns1 hostmaster 2 7200 3600 1209600 300', 3600)),
      'soa-apex',
      'error',
    );
    expect(p.message).toContain('2 SOA records');
  });

  it('an SOA below the apex is an error there', () => {
    expectProblem(
      problemsOf(rr('www', 'SOA', 'ns1 hostmaster 1 7200 3600 1209600 300')),
      'soa-apex',
      'error',
      'www.example.com.',
    );
  });

  it('one SOA at the apex passes', () => {
    expectNoProblem(problemsOf(), 'soa-apex');
  });
});

describe('ns-apex (RFC 1034 §4.2.1)', () => {
  it('an apex without NS is an error', () => {
    const { problems } = Zone.build(ORIGIN, [baseRecords()[0]!]);
    const p = expectProblem(problems, 'ns-apex', 'error', 'example.com.');
    expect(p.type).toBe('NS');
  });

  it('an apex with NS passes', () => {
    expectNoProblem(problemsOf(), 'ns-apex');
  });
});
