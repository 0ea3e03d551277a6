// The query path, in order: parse (query.ts) -> class and opcode checks ->
// zone (longest apex match) -> node (exact, else closest encloser: referral,
// DNAME, wildcard or NXDOMAIN) -> prepared template for the type -> emit.
// Per query: no JSON, no logging, no I/O, no object graphs.
import { createHmac, randomBytes } from 'node:crypto';
import type { Catalog } from '../engine/catalog.js';
import {
  DO_HEADER,
  DO_MATCH,
  DO_PLAIN_NSEC,
  DO_PLAIN_RRSIG,
  DO_SELF,
  DO_WILD_COVER,
  KEY_ANY_UDP,
  lookupType,
  proofChunk,
  signedTable,
  TYPE_ANY,
  TYPE_DS,
} from '../engine/compile.js';
import { u32 } from '../engine/bytes.js';
import { n3Cover, nsec3Hash, nsecCover, TYPE_NSEC, TYPE_RRSIG } from '../engine/dnssec.js';
import { hashLabel } from '../engine/name-hash.js';
import { T_NEG_TAIL, T_WILD_NODATA } from '../engine/template.js';
import { F_DELEG, F_DNAME, F_OCCLUDED, F_WILDKID, STAR, type ZoneImage } from '../engine/zone-image.js';
import { Metrics } from '../ops/metrics.js';
import { chaosAnswer } from './chaos.js';
import { dnameAnswer } from './dname.js';
import { emit, emitEmpty, sizeLimit, type OptOut } from './emit.js';
import { PARSE_BADVERS, PARSE_DROP, PARSE_FORMERR, PARSE_NOTIMP, Query, parseQuery } from './query.js';

const RCODE_FORMERR = 1;
const RCODE_NOTIMP = 4;
const RCODE_REFUSED = 5;
const CLASS_IN = 1;
const CLASS_CH = 3;
const TYPE_AXFR = 252;
const TYPE_IXFR = 251;

export interface ResponderOptions {
  nsid?: Uint8Array;
  chaos: { identity?: string; version?: string };
}

const WILD = new Uint8Array(258);
/** Proof owners and their chunks for one signed negative or wildcard answer (at most three, RFC 5155 §7.2.2). */
const PROOF_IDS = new Int32Array(4);
const CHUNKS = new Int32Array(4);
const HASH = new Uint8Array(32);

function i32(buf: Uint8Array, at: number): number {
  return u32(buf, at) | 0;
}

export class Responder {
  readonly metrics = new Metrics();
  private readonly q = new Query();
  private readonly cookieSecret = randomBytes(32);

  constructor(
    private readonly catalog: Catalog,
    private readonly options: ResponderOptions,
  ) {}

  /** The response to one query, or null for silence. `client` feeds the DNS cookie (RFC 7873 §4.2). */
  respond(msg: Uint8Array, tcp: boolean, client: string): Buffer | null {
    const q = this.q;
    const status = parseQuery(msg, q);
    if (status === PARSE_DROP) {
      this.metrics.dropped++;
      return null;
    }
    const opt = q.edns ? this.opt(msg, q, client) : undefined;
    let out: Buffer;
    if (status === PARSE_FORMERR) out = emitEmpty(msg, q, RCODE_FORMERR, opt);
    else if (status === PARSE_NOTIMP) out = emitEmpty(msg, q, RCODE_NOTIMP, opt);
    else if (status === PARSE_BADVERS) {
      // BADVERS is 16: upper eight bits in the OPT record, lower four (0) in the header (RFC 6891 §6.1.3).
      opt!.extendedRcode = 1;
      out = emitEmpty(msg, q, 0, opt);
    } else out = this.answer(msg, q, opt, tcp);
    this.metrics.count(q.qtype, out[3]! & 0x0f, tcp);
    return out;
  }

  private opt(msg: Uint8Array, q: Query, client: string): OptOut {
    const opt: OptOut = { extendedRcode: 0 };
    if (q.nsid && this.options.nsid) opt.nsid = this.options.nsid;
    if (q.cookieLength > 0) opt.cookie = this.cookie(msg.subarray(q.cookieAt, q.cookieAt + 8), client);
    return opt;
  }

  /** Client cookie + server cookie in the RFC 9018 layout (version 1, timestamp, 8-octet hash). */
  private cookie(clientCookie: Uint8Array, client: string): Uint8Array {
    const out = new Uint8Array(24);
    out.set(clientCookie, 0);
    out[8] = 1;
    const now = Math.floor(Date.now() / 1000);
    out[12] = now >>> 24;
    out[13] = (now >>> 16) & 0xff;
    out[14] = (now >>> 8) & 0xff;
    out[15] = now & 0xff;
    const mac = createHmac('sha256', this.cookieSecret).update(out.subarray(0, 16)).update(client).digest();
    out.set(mac.subarray(0, 8), 16);
    return out;
  }

  private answer(msg: Uint8Array, q: Query, opt: OptOut | undefined, tcp: boolean): Buffer {
    if (q.qclass !== CLASS_IN) {
      if (q.qclass === CLASS_CH) {
        const t = chaosAnswer(q, this.options.chaos);
        if (t) return emit(msg, q, t, 0, t, -1, opt, sizeLimit(q, tcp));
      }
      return emitEmpty(msg, q, RCODE_REFUSED, opt);
    }
    if (q.qtype === TYPE_AXFR || q.qtype === TYPE_IXFR) return emitEmpty(msg, q, RCODE_REFUSED, opt);
    const labels = q.labels;
    const lower = q.lower;
    const qlen = q.qlen;
    const off = q.labelOff;
    const hash = q.hash;

    // The zone: the longest served apex that is a suffix of the name. DS is
    // the parent's data: at a served child's apex, prefer a served parent.
    let zone: ZoneImage | undefined;
    let zl = 0;
    for (let i = 0; i <= labels; i++) {
      const z = this.catalog.match(lower, off[i]!, qlen - off[i]!, hash[i]!);
      if (!z) continue;
      if (i === 0 && q.qtype === TYPE_DS && labels > 0) {
        let parent: ZoneImage | undefined;
        for (let j = 1; j <= labels && !parent; j++) {
          parent = this.catalog.match(lower, off[j]!, qlen - off[j]!, hash[j]!);
          if (parent) zl = j;
        }
        if (parent) {
          zone = parent;
          break;
        }
      }
      zone = z;
      zl = i;
      break;
    }
    if (!zone) return emitEmpty(msg, q, RCODE_REFUSED, opt);
    const limit = sizeLimit(q, tcp);
    const ans = zone.ans.buf;
    // Type 0 is reserved: never the minimal-ANY entry that uses its number.
    const key =
      q.qtype === TYPE_ANY ? (tcp ? TYPE_ANY : KEY_ANY_UDP) : q.qtype === KEY_ANY_UDP ? -1 : q.qtype;

    // Signed answers (DO=1 in a signed zone; RRSIG and NSEC queries there) come from the signed tables.
    const signed = zone.signed && (q.dnssecOk || key === TYPE_RRSIG || key === TYPE_NSEC);
    let id = zone.find(lower, 0, qlen, hash[0]!);
    if (id >= 0) {
      const f = zone.flags[id]!;
      if (!(f & F_OCCLUDED)) {
        if (signed) return this.signedAnswer(msg, q, zone, id, key, -1, 0, opt, limit);
        const t = lookupType(ans, zone.ansOff[id]!, key);
        return emit(msg, q, ans, t, ans, zone.soaTail, opt, limit);
      }
      return this.above(msg, q, zone, 1, zl, opt, limit);
    }
    // Closest encloser (RFC 4592 §3.3.1): the longest existing ancestor.
    let i = 1;
    for (; i < zl; i++) {
      id = zone.find(lower, off[i]!, qlen - off[i]!, hash[i]!);
      if (id >= 0) break;
    }
    if (i >= zl) id = zone.find(lower, off[zl]!, qlen - off[zl]!, hash[zl]!);
    const f = zone.flags[id]!;
    if (f & (F_OCCLUDED | F_DELEG | F_DNAME)) return this.above(msg, q, zone, i, zl, opt, limit);
    if (f & F_WILDKID) {
      // The source of synthesis: `*.<closest encloser>`.
      const at = off[i]!;
      const len = qlen - at;
      WILD.set(STAR, 0);
      WILD.set(lower.subarray(at, qlen), 2);
      const w = zone.find(WILD, 0, len + 2, hashLabel(hash[i]!, STAR, 0));
      if (w >= 0) {
        if (signed) return this.signedAnswer(msg, q, zone, w, key, id, i, opt, limit);
        const t = lookupType(ans, zone.ansOff[w]!, key);
        return emit(msg, q, ans, t, ans, zone.soaTail, opt, limit);
      }
    }
    if (signed && q.dnssecOk) return this.signedNxdomain(msg, q, zone, id, i, opt, limit);
    return emit(msg, q, ans, zone.nxdomain, ans, zone.soaTail, opt, limit);
  }

  /**
   * A signed answer from node `id`'s signed table; when `ce` >= 0 the node is
   * the wildcard `*.<ce>` (label `ceLabel` of the query) and the proof that
   * the query name does not exist is added (RFC 4035 §3.1.3.3, RFC 5155 §7.2.5, §7.2.6).
   */
  private signedAnswer(
    msg: Uint8Array,
    q: Query,
    zone: ZoneImage,
    id: number,
    key: number,
    ce: number,
    ceLabel: number,
    opt: OptOut | undefined,
    limit: number,
  ): Buffer {
    const table = signedTable(zone, id);
    let dans = zone.dans.buf;
    if (!q.dnssecOk) {
      // RRSIG or NSEC asked without DO: the unsigned answer kept in the signed table's header.
      const plain = i32(dans, table + (key === TYPE_RRSIG ? DO_PLAIN_RRSIG : DO_PLAIN_NSEC));
      if (plain >= 0) return emit(msg, q, dans, plain, zone.ans.buf, zone.soaTail, opt, limit);
      const ans = zone.ans.buf;
      return emit(msg, q, ans, lookupType(ans, zone.ansOff[id]!, key), ans, zone.soaTail, opt, limit);
    }
    const t = lookupType(dans, table + DO_HEADER, key);
    if (ce < 0) return emit(msg, q, dans, t, dans, zone.soaTailDo, opt, limit);
    let n = 0;
    const self = i32(dans, table + DO_SELF);
    const nodata = (dans[t]! & (T_NEG_TAIL | T_WILD_NODATA)) === (T_NEG_TAIL | T_WILD_NODATA);
    const off = q.labelOff;
    if (zone.nsec3) {
      if (nodata) {
        const ceTable = signedTable(zone, ce);
        dans = zone.dans.buf;
        n = addId(n, i32(dans, ceTable + DO_MATCH), self);
      }
      const nc = off[ceLabel - 1]!;
      nsec3Hash(zone, q.lower, nc, q.qlen - nc, HASH);
      n = addId(n, n3Cover(zone, HASH), nodata ? self : -1);
    } else n = addId(n, nsecCover(zone, q.lower, 0), nodata || key === TYPE_NSEC ? self : -1);
    return this.withProofs(msg, q, zone, t, n, opt, limit);
  }

  /** NXDOMAIN in a signed zone: the closest encloser `ce` (label `ceLabel`) and the per-query proofs (RFC 4035 §3.1.3.2, RFC 5155 §7.2.2). */
  private signedNxdomain(
    msg: Uint8Array,
    q: Query,
    zone: ZoneImage,
    ce: number,
    ceLabel: number,
    opt: OptOut | undefined,
    limit: number,
  ): Buffer {
    const table = signedTable(zone, ce);
    const dans = zone.dans.buf;
    let n = 0;
    if (zone.nsec3) {
      n = addId(n, i32(dans, table + DO_MATCH), -1);
      const nc = q.labelOff[ceLabel - 1]!;
      nsec3Hash(zone, q.lower, nc, q.qlen - nc, HASH);
      n = addId(n, n3Cover(zone, HASH), -1);
    } else n = addId(n, nsecCover(zone, q.lower, 0), -1);
    n = addId(n, i32(dans, table + DO_WILD_COVER), -1);
    return this.withProofs(msg, q, zone, zone.nxdomainDo, n, opt, limit);
  }

  private withProofs(
    msg: Uint8Array,
    q: Query,
    zone: ZoneImage,
    t: number,
    n: number,
    opt: OptOut | undefined,
    limit: number,
  ): Buffer {
    for (let k = 0; k < n; k++) CHUNKS[k] = proofChunk(zone, PROOF_IDS[k]!);
    const dans = zone.dans.buf;
    return emit(msg, q, dans, t, dans, zone.soaTailDo, opt, limit, CHUNKS, n);
  }

  /** The name is at or below a cut or DNAME found from label `from` up: refer, or synthesize. */
  private above(
    msg: Uint8Array,
    q: Query,
    zone: ZoneImage,
    from: number,
    zl: number,
    opt: OptOut | undefined,
    limit: number,
  ): Buffer {
    const ans = zone.ans.buf;
    // The topmost cut or DNAME wins: walk from the apex (a DNAME may own it) down.
    for (let i = zl; i >= from; i--) {
      const id = zone.find(q.lower, q.labelOff[i]!, q.qlen - q.labelOff[i]!, q.hash[i]!);
      if (id < 0) continue;
      const f = zone.flags[id]!;
      if (f & F_DELEG) {
        if (zone.signed && q.dnssecOk) {
          const table = signedTable(zone, id);
          const dans = zone.dans.buf;
          return emit(msg, q, dans, lookupType(dans, table + DO_HEADER, -1), dans, -1, opt, limit);
        }
        return emit(msg, q, ans, lookupType(ans, zone.ansOff[id]!, -1), ans, -1, opt, limit);
      }
      if (f & F_DNAME) {
        const t = dnameAnswer(zone, id, q, i, zone.signed && q.dnssecOk);
        return emit(msg, q, t, 0, t, -1, opt, limit);
      }
    }
    return emit(msg, q, ans, zone.nxdomain, ans, zone.soaTail, opt, limit);
  }
}

/** Adds a proof owner to PROOF_IDS[0..n) unless it is missing, already there, or `skip`; returns the new count. */
function addId(n: number, id: number, skip: number): number {
  if (id < 0 || id === skip) return n;
  for (let k = 0; k < n; k++) if (PROOF_IDS[k] === id) return n;
  PROOF_IDS[n] = id;
  return n + 1;
}
