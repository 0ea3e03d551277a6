// Every zone rule in one place: the catalogue (ids, severities, RFCs) and the
// per-name checks that check() and apply() run.
import type { RuleInfo } from '../problem.js';
import { CLASS, META_TYPE, OUT_OF_ZONE, RDATA_INVALID } from './admission.js';
import { chainRule } from './chains.js';
import { cnameRule } from './cname.js';
import { dnameRule } from './dname.js';
import { dsRule } from './ds.js';
import { DUPLICATE } from './duplicate.js';
import { NOT_FOUND } from './not-found.js';
import { nsApexRule } from './ns-apex.js';
import { nsGlueRule } from './ns-glue.js';
import { occlusionRule } from './occlusion.js';
import type { NameRule } from './rule.js';
import { soaRule } from './soa.js';
import { targetRule } from './targets.js';
import { TTL_MISMATCH } from './ttl.js';
import { wildcardRule } from './wildcards.js';

/** The checks that judge the zone's contents, run per name. */
export const NAME_RULES: readonly NameRule[] = [
  soaRule,
  nsApexRule,
  cnameRule,
  dnameRule,
  dsRule,
  occlusionRule,
  nsGlueRule,
  targetRule,
  chainRule,
  wildcardRule,
];

/**
 * Every rule a Problem can name. Record-level rules (out-of-zone, class,
 * meta-type, rdata-invalid, ttl-mismatch, duplicate) are checked as records enter the zone;
 * not-found only arises from change sets. ttl-mismatch is a warning instead
 * under the `lowest` TTL policy.
 */
export const ZONE_RULES: readonly RuleInfo[] = [
  OUT_OF_ZONE,
  CLASS,
  META_TYPE,
  RDATA_INVALID,
  TTL_MISMATCH,
  DUPLICATE,
  NOT_FOUND,
  ...NAME_RULES.flatMap((r) => r.rules),
];
