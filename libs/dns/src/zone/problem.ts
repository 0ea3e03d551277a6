import type { Name } from '../name/name.js';
import { typeToString } from '../rdata/rrtype.js';

export type Severity = 'error' | 'warning';

/** One finding of the zone rules: which rule, which RFC, where, and a sentence a person can act on. */
export interface Problem {
  severity: Severity;
  /** Stable rule id, e.g. `cname-exclusive`. */
  rule: string;
  /** The RFC section the rule comes from, e.g. `RFC 2181 §10.1`. */
  rfc: string;
  /** Owner name, absolute presentation form. */
  name: string;
  /** Type mnemonic, when the problem is about one type. */
  type?: string;
  /** Names the owner and type, says what is wrong and why. */
  message: string;
}

/** A rule's fixed identity; the catalogue in rules/index.ts lists them all. */
export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  readonly rfc: string;
  readonly summary: string;
}

export function defineRule(id: string, severity: Severity, rfc: string, summary: string): RuleInfo {
  return { id, severity, rfc, summary };
}

/**
 * Collects problems. The same problem can be found twice (an incremental check
 * reaches a CNAME loop from each of its members), so identical ones collapse.
 */
export class ProblemSink {
  private readonly seen = new Set<string>();
  private readonly found: { problem: Problem; owner: Name }[] = [];
  private errorCount = 0;

  add(rule: RuleInfo, owner: Name, type: number | undefined, message: string, rfc = rule.rfc): void {
    const problem: Problem = {
      severity: rule.severity,
      rule: rule.id,
      rfc,
      name: owner.toString(),
      ...(type === undefined ? {} : { type: typeToString(type) }),
      message,
    };
    const id = `${problem.rule}\u0000${problem.name}\u0000${problem.type ?? ''}\u0000${message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.found.push({ problem, owner });
    if (rule.severity === 'error') this.errorCount++;
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  /** All problems, by owner in canonical order, then rule id, so output is stable. */
  problems(): Problem[] {
    return this.found
      .sort(
        (a, b) =>
          a.owner.compare(b.owner) ||
          compareStrings(a.problem.rule, b.problem.rule) ||
          compareStrings(a.problem.type ?? '', b.problem.type ?? '') ||
          compareStrings(a.problem.message, b.problem.message),
      )
      .map((f) => f.problem);
  }

  errors(): Problem[] {
    return this.problems().filter((p) => p.severity === 'error');
  }

  warnings(): Problem[] {
    return this.problems().filter((p) => p.severity === 'warning');
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
