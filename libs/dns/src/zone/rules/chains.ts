import { Name } from '../../name/name.js';
import { RRType, typeToString } from '../../rdata/rrtype.js';
import { ZoneContext } from '../context.js';
import { defineRule } from '../problem.js';
import { findRRset } from '../rrset.js';
import { HAS_CNAME, HAS_DNAME, type ZoneNode } from '../tree.js';
import type { NameRule } from './rule.js';

export const CNAME_LOOP = defineRule(
  'cname-loop',
  'error',
  'RFC 1034 §3.6.2',
  'CNAME/DNAME chains inside the zone do not loop.',
);
export const CNAME_CHAIN_LONG = defineRule(
  'cname-chain-long',
  'warning',
  'RFC 1034 §3.6.2',
  'CNAME/DNAME chains take at most 16 steps inside the zone.',
);

/** Resolvers commonly stop following aliases after about this many (BIND and Unbound use 8 to 16). */
export const MAX_CHAIN_STEPS = 16;

/** A DNAME redirects the names below its owner; chains from a DNAME start at this child. */
const PROBE_LABEL = Uint8Array.of(0);

interface Step {
  next: Name;
  /** The CNAME owner, or the DNAME owner that rewrote the name. */
  via: ZoneNode;
  type: number;
}

/**
 * One step of resolution inside the zone, as an authoritative server takes it:
 * walking down from the apex, a delegation ends the chain (referral) and a
 * DNAME rewrites the name (RFC 6672 §2.2); otherwise a CNAME at the name
 * leads on. Wildcards are not expanded: a chain through one is not followed.
 */
function step(ctx: ZoneContext, cur: Name): Step | undefined {
  if (!ctx.inZone(cur)) return undefined;
  const above = ctx.occluderAbove(cur.key);
  if (above) {
    if (ctx.isCut(above)) return undefined;
    const next = substitute(cur, above.name, ZoneContext.target(findRRset(above.rrsets, RRType.DNAME)!));
    return next && { next, via: above, type: RRType.DNAME };
  }
  const node = ctx.node(cur.key);
  if (!node || !(node.flags & HAS_CNAME) || ctx.isCut(node)) return undefined;
  return { next: ZoneContext.target(findRRset(node.rrsets, RRType.CNAME)!), via: node, type: RRType.CNAME };
}

/** DNAME substitution; undefined when the result is too long (the server answers YXDOMAIN, RFC 6672 §2.2). */
function substitute(name: Name, owner: Name, target: Name): Name | undefined {
  const prefix = name.labels().slice(0, name.labelCount - owner.labelCount);
  try {
    return Name.fromLabels([...prefix, ...target.labels()]);
  } catch {
    return undefined;
  }
}

/**
 * Follows the chain from `start`: the number of in-zone steps until it ends,
 * or 'loop' when it never ends. Loops are reported at every CNAME or DNAME
 * owner on the cycle. Results are memoised per visited name in the context,
 * so a whole-zone check follows each chain once.
 */
export function followChain(ctx: ZoneContext, start: Name): number | 'loop' {
  const memo = ctx.chainMemo;
  const path: string[] = [];
  const steps: Step[] = [];
  // Most chains are a step or two: scan the path, and index it only once it grows.
  let seenAt: Map<string, number> | undefined;
  let outcome: number | 'loop';
  for (let cur = start; ;) {
    const key = cur.key;
    const known = memo.get(key);
    if (known !== undefined) {
      // path[i] is (path.length - i) steps before cur.
      outcome = known;
      break;
    }
    const at = seenAt ? (seenAt.get(key) ?? -1) : path.indexOf(key);
    if (at >= 0) {
      reportLoop(ctx, steps.slice(at));
      outcome = 'loop';
      break;
    }
    if (!seenAt && path.length === 16) seenAt = new Map(path.map((k, i) => [k, i]));
    seenAt?.set(key, path.length);
    path.push(key);
    const s = step(ctx, cur);
    if (!s) {
      // The chain ends at the last name: as if a name one past it had -1 steps.
      outcome = -1;
      break;
    }
    steps.push(s);
    cur = s.next;
  }
  for (let i = 0; i < path.length; i++)
    memo.set(path[i]!, outcome === 'loop' ? 'loop' : outcome + path.length - i);
  return memo.get(start.key)!;
}

function reportLoop(ctx: ZoneContext, cycle: readonly Step[]): void {
  const first = cycle[0]!;
  const route =
    cycle.map((s) => `${s.via.name} ${typeToString(s.type)}`).join(' → ') + ` → ${first.via.name}`;
  const owners = new Set<ZoneNode>();
  for (const s of cycle) {
    if (owners.has(s.via)) continue;
    owners.add(s.via);
    ctx.report(
      CNAME_LOOP,
      s.via.name,
      s.type,
      `${s.via.name} ${typeToString(s.type)} is part of an alias loop (${route}); resolvers give up on every name in it`,
    );
  }
}

export const chainRule: NameRule = {
  rules: [CNAME_LOOP, CNAME_CHAIN_LONG],
  check(ctx, node) {
    if (node.flags & HAS_CNAME) {
      // Most aliases lead straight to a name that ends the chain: settle those without the walk.
      const first = step(ctx, node.name);
      if (first && step(ctx, first.next)) reportLong(ctx, node, RRType.CNAME, followChain(ctx, node.name));
    }
    if (node.flags & HAS_DNAME) {
      let probe: Name;
      try {
        probe = node.name.child(PROBE_LABEL);
      } catch {
        return; // the owner is too long to have names below it: the DNAME redirects nothing
      }
      reportLong(ctx, node, RRType.DNAME, followChain(ctx, probe));
    }
  },
};

function reportLong(ctx: ZoneContext, node: ZoneNode, type: number, steps: number | 'loop'): void {
  if (steps === 'loop' || steps <= MAX_CHAIN_STEPS) return;
  ctx.report(
    CNAME_CHAIN_LONG,
    node.name,
    type,
    `${node.name} ${typeToString(type)} starts a chain of ${steps} alias steps inside the zone; resolvers commonly give up after ${MAX_CHAIN_STEPS}`,
  );
}
