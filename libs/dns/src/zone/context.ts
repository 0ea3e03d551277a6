import { firstNonHostnameLabel, looksLikeAddress } from '../name/hostname.js';
import type { Name } from '../name/name.js';
import type { TargetRdata } from '../rdata/types/name-target.js';
import { parentKey } from './keys.js';
import type { ProblemSink, RuleInfo } from './problem.js';
import type { RRset } from './rrset.js';
import { HAS_ADDRESS, HAS_CNAME, HAS_DNAME, HAS_NS, type NameTree, type ZoneNode } from './tree.js';

/**
 * What the rules see of a zone: lookups with the DNS meaning (delegations,
 * DNAME redirection, glue) on top of the tree, and the problem sink. One
 * context serves one check run, so it may cache per-target answers.
 */
export class ZoneContext {
  readonly apex: ZoneNode;
  /** Chain walks of one run share this, so every chain is followed once (see rules/chains.ts). */
  readonly chainMemo = new Map<string, number | 'loop'>();
  private readonly hostSyntax = new Map<string, string | undefined>();

  constructor(
    readonly tree: NameTree,
    private readonly sink: ProblemSink,
  ) {
    this.apex = tree.apex;
  }

  get origin(): Name {
    return this.tree.origin;
  }

  node(key: string): ZoneNode | undefined {
    return this.tree.get(key);
  }

  inZone(name: Name): boolean {
    return this.tree.contains(name);
  }

  report(rule: RuleInfo, owner: Name, type: number | undefined, message: string, rfc?: string): void {
    this.sink.add(rule, owner, type, message, rfc);
  }

  /** A delegation point: NS at a name other than the apex (RFC 1034 §4.2.1). */
  isCut(node: ZoneNode): boolean {
    return (node.flags & HAS_NS) !== 0 && node !== this.apex;
  }

  /**
   * The topmost strict ancestor that hides the data at `key` (a name in the
   * zone): a delegation cut, or a DNAME owner (the apex counts for DNAME, not
   * for NS). Topmost, because a server walking down from the apex stops at
   * the first one it meets.
   */
  occluderAbove(key: string): ZoneNode | undefined {
    const node = this.tree.get(key);
    if (node) return this.occluderOf(node);
    // A name without a node (a chain step, say): start from its nearest existing ancestor.
    let start: ZoneNode | undefined;
    for (let k = key; !start && k.length > this.tree.apexKey.length;) {
      k = parentKey(k);
      start = this.tree.get(k);
    }
    return start && this.topmostHider(start);
  }

  /** occluderAbove for a name that has a node (no map lookup). */
  occluderOf(node: ZoneNode): ZoneNode | undefined {
    return node.parent && this.topmostHider(node.parent);
  }

  /** The topmost of `from` and its ancestors that is a cut or a DNAME owner. */
  private topmostHider(from: ZoneNode): ZoneNode | undefined {
    let found: ZoneNode | undefined;
    for (let n: ZoneNode | undefined = from; n; n = n.parent)
      if (n.flags & HAS_DNAME || (n.flags & HAS_NS && n !== this.apex)) found = n;
    return found;
  }

  /** The cut or DNAME owner at or above `key` (the name itself counts only as a cut). */
  hiddenBy(key: string): ZoneNode | undefined {
    const above = this.occluderAbove(key);
    if (above) return above;
    const n = this.tree.get(key);
    return n && this.isCut(n) ? n : undefined;
  }

  hasAddress(key: string): boolean {
    return ((this.tree.get(key)?.flags ?? 0) & HAS_ADDRESS) !== 0;
  }

  hasCname(key: string): boolean {
    return ((this.tree.get(key)?.flags ?? 0) & HAS_CNAME) !== 0;
  }

  /** First target of a one-name RRset (CNAME, DNAME). */
  static target(set: RRset): Name {
    return (set.rdatas[0] as TargetRdata).target;
  }

  /**
   * Host name syntax of a target, cached per name because many records share
   * a target: `'address'` when it looks like an IP address, `'relative-address'`
   * when its labels below the origin do (an address typed without its trailing
   * dot), the first bad label, or undefined when it is a host name. (Both
   * verdicts are valid host labels, so they can never be confused with a bad one.)
   */
  hostSyntaxOf(target: Name): 'address' | 'relative-address' | string | undefined {
    const key = target.key;
    if (this.hostSyntax.has(key)) return this.hostSyntax.get(key);
    const below = this.inZone(target) ? target.labelCount - this.origin.labelCount : 0;
    const verdict = looksLikeAddress(target)
      ? 'address'
      : below > 0 && looksLikeAddress(target, below)
        ? 'relative-address'
        : firstNonHostnameLabel(target);
    this.hostSyntax.set(key, verdict);
    return verdict;
  }
}
