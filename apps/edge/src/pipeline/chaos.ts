// CHAOS-class identity queries (RFC 4892): `id.server` and `hostname.bind`
// name the edge, `version.bind` and `version.server` its version; each is
// answered only when configured (EDGE_CHAOS), otherwise REFUSED like any
// name we do not serve.
import { T_AA, TemplateWriter } from '../engine/template.js';
import type { Query } from './query.js';

const TYPE_TXT = 16;
const TYPE_ANY = 255;
const CLASS_CH = 3;
const tw = new TemplateWriter();

function wire(text: string): Uint8Array {
  const parts = text.split('.').filter(Boolean);
  const out: number[] = [];
  for (const p of parts) out.push(p.length, ...Buffer.from(p, 'ascii'));
  out.push(0);
  return Uint8Array.from(out);
}

const NAMES: [Uint8Array, 'identity' | 'version'][] = [
  [wire('id.server'), 'identity'],
  [wire('hostname.bind'), 'identity'],
  [wire('version.bind'), 'version'],
  [wire('version.server'), 'version'],
];

function sameName(q: Query, name: Uint8Array): boolean {
  if (q.qlen !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (q.lower[i] !== name[i]) return false;
  return true;
}

/** A one-record template answering the query, or undefined (REFUSED). */
export function chaosAnswer(
  q: Query,
  chaos: { identity?: string; version?: string },
): Uint8Array | undefined {
  if (q.qtype !== TYPE_TXT && q.qtype !== TYPE_ANY) return undefined;
  for (const [name, what] of NAMES) {
    if (!sameName(q, name)) continue;
    const text = chaos[what];
    if (text === undefined) return undefined;
    const bytes = Buffer.from(text, 'utf8').subarray(0, 255);
    const rdata = new Uint8Array(bytes.length + 1);
    rdata[0] = bytes.length;
    rdata.set(bytes, 1);
    tw.begin(q.lower.subarray(0, q.qlen));
    tw.rr(null, TYPE_TXT, CLASS_CH, 0, rdata);
    return tw.finish(T_AA, 0);
  }
  return undefined;
}
