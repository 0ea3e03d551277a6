// The per-zone DNSSEC document (table zone_dnssec): policy, keys with their
// sealed private halves, the timeline's history, and the last full sign.
import {
  DEFAULT_TIMING,
  hexDecode,
  type KeyEvent,
  type KeyPolicy,
  type ManagedKey,
  type SigningAlgorithm,
  type ZoneSigningState,
} from '@herald/dns';
import type { StoredDnssec } from '../ports/zone-store.port.js';

export interface DnssecSettings {
  algorithm: SigningAlgorithm;
  scheme: 'ksk-zsk' | 'csk';
  denial: 'nsec3' | 'nsec';
  nsec3Iterations: number;
  /** Hex; '' for none (RFC 9276 §3.1). */
  nsec3Salt: string;
  zskLifetimeDays: number;
  kskLifetimeDays: number;
  dnskeyTtl: number;
  validityDays: number;
  refreshDays: number;
  /** How the retire step learns the parent's DS: asking the resolver, or only through the API. */
  dsCheck: 'resolver' | 'manual';
  parentDsTtl: number;
  propagationDelay: number;
}

export interface SignRecord {
  at: string;
  kind: 'full' | 'refresh' | 'changes';
  signatures: number;
  seconds: number;
}

export interface DnssecDocument {
  signing: ZoneSigningState;
  settings: DnssecSettings;
  keys: ManagedKey[];
  /** Key id -> private key (PKCS#8) sealed under the master key. */
  sealed: Record<string, string>;
  /** Newest last, at most HISTORY entries. */
  history: KeyEvent[];
  lastSign?: SignRecord;
  /** The last full sign run as a job. */
  job?: { id: string; state: string; progress: number; at: string };
}

export const HISTORY = 200;

export const DEFAULT_SETTINGS: DnssecSettings = {
  algorithm: 13,
  scheme: 'ksk-zsk',
  denial: 'nsec3',
  nsec3Iterations: 0,
  nsec3Salt: '',
  zskLifetimeDays: 90,
  kskLifetimeDays: 0,
  dnskeyTtl: 3600,
  validityDays: 14,
  refreshDays: 7,
  dsCheck: 'resolver',
  parentDsTtl: 86400,
  propagationDelay: 300,
};

export function keyPolicyOf(s: DnssecSettings): KeyPolicy {
  return {
    algorithm: s.algorithm,
    scheme: s.scheme,
    denial:
      s.denial === 'nsec'
        ? { kind: 'nsec' }
        : { kind: 'nsec3', iterations: s.nsec3Iterations, salt: hexDecode(s.nsec3Salt) ?? new Uint8Array() },
    zskLifetime: s.zskLifetimeDays * 86400,
    kskLifetime: s.kskLifetimeDays * 86400,
    dnskeyTtl: s.dnskeyTtl,
    timing: {
      ...DEFAULT_TIMING,
      validity: s.validityDays * 86400,
      refresh: s.refreshDays * 86400,
    },
    propagationDelay: s.propagationDelay,
    parentDsTtl: s.parentDsTtl,
  };
}

export function toStored(doc: DnssecDocument): StoredDnssec {
  return { signing: doc.signing, state: doc as unknown as Record<string, unknown> };
}

export function fromStored(stored: StoredDnssec | undefined): DnssecDocument | undefined {
  if (!stored) return undefined;
  const doc = stored.state as unknown as DnssecDocument;
  return { ...doc, signing: stored.signing, settings: { ...DEFAULT_SETTINGS, ...doc.settings } };
}

export function withHistory(doc: DnssecDocument, events: readonly KeyEvent[]): DnssecDocument {
  return { ...doc, history: [...doc.history, ...events].slice(-HISTORY) };
}
