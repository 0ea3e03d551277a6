import { ZoneContext } from './context.js';
import type { ProblemSink } from './problem.js';
import { NAME_RULES } from './rules/index.js';
import type { NameTree, ZoneNode } from './tree.js';

function checkNode(ctx: ZoneContext, node: ZoneNode): void {
  // The apex is always judged: a zone with nothing at its apex lacks SOA and NS.
  if (node.rrsets.length === 0 && node !== ctx.apex) return;
  for (const rule of NAME_RULES) rule.check(ctx, node);
}

/** Runs every rule over every name. */
export function checkAll(tree: NameTree, sink: ProblemSink): void {
  const ctx = new ZoneContext(tree, sink);
  for (const node of tree.nodes.values()) checkNode(ctx, node);
}

/** Runs every rule over the given names (those that no longer exist are skipped). */
export function checkNames(ctx: ZoneContext, keys: Iterable<string>): void {
  for (const key of keys) {
    const node = ctx.node(key);
    if (node) checkNode(ctx, node);
  }
}
