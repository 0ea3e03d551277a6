// The zone model: RRsets, rule checks, atomic change sets, diffs and serials.
export type { Problem, RuleInfo, Severity } from './problem.js';
export type { RRset } from './rrset.js';
export { Zone, type BuildOptions, type BuildResult, type RRsetReplacement } from './zone.js';
export type { ApplyOptions, ApplyResult, Change } from './changes.js';
export { diffZones, type ZoneDiff } from './diff.js';
export { nextSerial, serialCompare, type SerialMode } from './serial.js';
export type { TtlPolicy } from './rules/ttl.js';
export { ZONE_RULES } from './rules/index.js';
export { MAX_CHAIN_STEPS } from './rules/chains.js';
