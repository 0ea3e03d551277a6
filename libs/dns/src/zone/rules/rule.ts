import type { ZoneContext } from '../context.js';
import type { RuleInfo } from '../problem.js';
import type { ZoneNode } from '../tree.js';

/**
 * A zone rule that judges one name: it reports problems owned by that name
 * (or, for chains, by the names on a loop it finds from there). Running every
 * rule over every name is check(); apply runs them over the affected names.
 */
export interface NameRule {
  /** The rule ids this check can report. */
  readonly rules: readonly RuleInfo[];
  check(ctx: ZoneContext, node: ZoneNode): void;
}
