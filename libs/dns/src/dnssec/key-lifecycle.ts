// Key states and rollovers (RFC 7583), as pure functions of the keys, the
// zone's TTLs and the time. herald stores the keys and calls advanceKeys()
// from a scheduled job; every transition it returns is audited, and the
// zone is re-signed with signingSetupOf() of the new keys.
import type { Name } from '../name/name.js';
import { base64Decode } from '../rdata/binary.js';
import type { DNSKEYRdata, DSRdata } from '../rdata/types/dnssec.js';
import { type SigningAlgorithm } from './algorithms.js';
import { CDNSKEY_DELETE, CDS_DELETE, dsFor } from './ds.js';
import { FLAG_SEP, FLAG_ZONE } from './key-tag.js';
import type { Denial, KeyRef, SignatureTiming, SigningSetup } from './zone-signer.js';

export type KeyRole = 'ksk' | 'zsk' | 'csk';

/**
 * published: in the DNSKEY RRset, not signing yet (pre-publication);
 * active: signing; retired: still published, no longer signing (caches may
 * hold its signatures); removed: gone from the zone (kept for the record).
 */
export type KeyState = 'published' | 'active' | 'retired' | 'removed';

/** Whether the parent's DS names this key (KSK and CSK only). */
export type DsState = 'none' | 'pending' | 'seen' | 'withdrawn';

export interface ManagedKey {
  id: string;
  role: KeyRole;
  algorithm: SigningAlgorithm;
  tag: number;
  /** DNSKEY public key field, base64. */
  publicKey: string;
  state: KeyState;
  ds: DsState;
  /** ISO times each state was entered. */
  createdAt: string;
  publishedAt?: string;
  activeAt?: string;
  retiredAt?: string;
  removedAt?: string;
  dsSeenAt?: string;
}

export interface KeyPolicy {
  algorithm: SigningAlgorithm;
  scheme: 'ksk-zsk' | 'csk';
  denial: Denial;
  /** Seconds between ZSK rollovers (0: never); default 90 days. */
  zskLifetime: number;
  /** Seconds between KSK (or CSK) rollovers (0: only on demand). */
  kskLifetime: number;
  dnskeyTtl: number;
  timing: SignatureTiming;
  /** Seconds an edge needs to serve a change (RFC 7583 Dprp); small here, changes propagate in ms. */
  propagationDelay: number;
  /** TTL the parent gives DS records (RFC 7583 DS TTL), for the wait after the parent changes. */
  parentDsTtl: number;
}

export const DEFAULT_KEY_POLICY: Omit<KeyPolicy, 'algorithm' | 'scheme' | 'denial' | 'timing'> = {
  zskLifetime: 90 * 86400,
  kskLifetime: 0,
  dnskeyTtl: 3600,
  propagationDelay: 300,
  parentDsTtl: 86400,
};

/** What the zone is doing as a whole. */
export type ZoneSigningState = 'signed' | 'unsigning' | 'unsigned';

export interface KeyEvent {
  at: string;
  action:
    | 'key.published'
    | 'key.active'
    | 'key.retired'
    | 'key.removed'
    | 'ds.seen'
    | 'ds.withdrawn'
    | 'cds.published'
    | 'dnssec.unsigned';
  keyId?: string;
  tag?: number;
  role?: KeyRole;
  detail: string;
}

export interface PlannedEvent {
  at: string;
  action: string;
  keyId?: string;
  detail: string;
}

export function dnskeyOf(key: Pick<ManagedKey, 'role' | 'algorithm' | 'publicKey'>): DNSKEYRdata {
  const publicKey = base64Decode(key.publicKey);
  if (!publicKey) throw new Error('stored public key is not base64');
  return {
    flags: key.role === 'zsk' ? FLAG_ZONE : FLAG_ZONE | FLAG_SEP,
    protocol: 3,
    algorithm: key.algorithm,
    publicKey,
  };
}

const signsKeys = (k: ManagedKey) => k.role !== 'zsk';
const signsZone = (k: ManagedKey) => k.role !== 'ksk';
const ref = (k: ManagedKey): KeyRef => ({ id: k.id, tag: k.tag, algorithm: k.algorithm });

/**
 * The signer's view of the keys: what is published, what signs what, and the
 * CDS/CDNSKEY to show the parent (RFC 7344 §4: the SEP keys the parent should
 * use; RFC 8078 §4 delete forms while unsigning).
 */
export function signingSetupOf(
  origin: Name,
  keys: readonly ManagedKey[],
  policy: KeyPolicy,
  zoneState: ZoneSigningState,
): SigningSetup {
  const live = keys.filter((k) => k.state !== 'removed');
  const sep = live.filter((k) => signsKeys(k) && k.state === 'active');
  // The parent should list the newest SEP key offered to it: during a KSK rollover that moves the DS over.
  const target = sep.filter((k) => k.ds === 'pending' || k.ds === 'seen').slice(-1);
  const unsigning = zoneState === 'unsigning';
  return {
    dnskeys: live.map(dnskeyOf),
    dnskeyTtl: policy.dnskeyTtl,
    keySigning: sep.map(ref),
    zoneSigning: live.filter((k) => signsZone(k) && k.state === 'active').map(ref),
    cds: unsigning ? [CDS_DELETE] : target.map((k) => dsFor(origin, dnskeyOf(k))),
    cdnskey: unsigning ? [CDNSKEY_DELETE] : target.map(dnskeyOf),
    denial: policy.denial,
    timing: policy.timing,
  };
}

/** The DS records (SHA-256) of the keys the parent should hold now. */
export function dsRecordsOf(origin: Name, keys: readonly ManagedKey[]): DSRdata[] {
  return keys
    .filter((k) => signsKeys(k) && (k.state === 'active' || k.state === 'published'))
    .map((k) => dsFor(origin, dnskeyOf(k)));
}

const iso = (s: number) => new Date(s * 1000).toISOString();
const secs = (t: string | undefined) => (t ? Math.floor(Date.parse(t) / 1000) : undefined);

export interface ZoneTtls {
  /** Largest TTL of any signed RRset (RFC 7583 TTLsig/TTLkey inputs). */
  maxTtl: number;
}

export interface AdvanceInput {
  keys: ManagedKey[];
  policy: KeyPolicy;
  zoneState: ZoneSigningState;
  ttls: ZoneTtls;
  now: Date;
  /** Makes a new key pair of the role (herald seals and stores its private half). */
  newKey: (role: KeyRole) => ManagedKey;
  /** DS keys the parent publishes, when known (a resolver lookup); undefined when not checked. */
  parentDsTags?: readonly number[];
}

export interface AdvanceResult {
  keys: ManagedKey[];
  zoneState: ZoneSigningState;
  events: KeyEvent[];
  /** A new signing key took over: every RRset needs its signature. */
  fullResign: boolean;
  changed: boolean;
}

/**
 * One step of the key timeline at `now` (call it again until nothing changes):
 * - ZSK pre-publication (RFC 7583 §3.2): a successor is published when the
 *   active ZSK reaches its lifetime, becomes active after Ipub = DNSKEY TTL +
 *   Dprp, and the old key is removed after Iret = max TTL + Dprp.
 * - KSK double-KSK (§3.3): a successor is published (it signs the DNSKEY
 *   RRset with the old one at once, so either DS validates) and shown in
 *   CDS/CDNSKEY; the old KSK retires only once the parent's DS names the new
 *   one and the parent's DS TTL + Dprp has passed.
 * - Unsigning (RFC 8078 §4): CDS/CDNSKEY delete are published and the zone
 *   stays signed until the parent's DS is gone for its TTL + Dprp.
 */
export function advanceKeys(input: AdvanceInput): AdvanceResult {
  const { policy, now, ttls } = input;
  const t = Math.floor(now.getTime() / 1000);
  const keys = input.keys.map((k) => ({ ...k }));
  const events: KeyEvent[] = [];
  let zoneState = input.zoneState;
  let fullResign = false;
  const ipub = policy.dnskeyTtl + policy.propagationDelay;
  const iret = ttls.maxTtl + policy.propagationDelay;
  const dsWait = policy.parentDsTtl + policy.propagationDelay;
  const emit = (action: KeyEvent['action'], k: ManagedKey | undefined, detail: string) =>
    events.push({ at: iso(t), action, keyId: k?.id, tag: k?.tag, role: k?.role, detail });

  // What the parent says, when it was asked.
  if (input.parentDsTags)
    for (const k of keys) {
      if (!signsKeys(k) || k.state === 'removed') continue;
      const listed = input.parentDsTags.includes(k.tag);
      if (listed && k.ds !== 'seen') {
        k.ds = 'seen';
        k.dsSeenAt = iso(t);
        emit('ds.seen', k, `the parent's DS now names key ${k.tag}`);
      } else if (!listed && k.ds === 'seen') {
        k.ds = 'withdrawn';
        emit('ds.withdrawn', k, `the parent's DS no longer names key ${k.tag}`);
      }
    }

  if (zoneState === 'unsigning') {
    const stillListed = keys.some((k) => k.ds === 'seen');
    const lastSeen = Math.max(0, ...keys.map((k) => secs(k.dsSeenAt) ?? 0));
    const confirmedGone = input.parentDsTags !== undefined && !stillListed;
    if (confirmedGone && t >= lastSeen + dsWait) {
      for (const k of keys)
        if (k.state !== 'removed') {
          k.state = 'removed';
          k.removedAt = iso(t);
        }
      zoneState = 'unsigned';
      emit('dnssec.unsigned', undefined, 'the parent has no DS for the zone: signatures and keys removed');
    }
    return { keys, zoneState, events, fullResign, changed: events.length > 0 };
  }

  // A new KSK or CSK is offered to the parent (CDS/CDNSKEY) once its DNSKEY has reached every cache.
  for (const k of keys)
    if (signsKeys(k) && k.state === 'active' && k.ds === 'none' && t >= (secs(k.publishedAt) ?? t) + ipub) {
      k.ds = 'pending';
      emit(
        'cds.published',
        k,
        `CDS/CDNSKEY now name ${k.role.toUpperCase()} ${k.tag}: the parent's DS should follow`,
      );
    }

  // Published successors become active after Ipub; their predecessors retire.
  for (const k of keys) {
    if (k.state !== 'published') continue;
    const since = secs(k.publishedAt) ?? t;
    if (t < since + ipub) continue;
    if (k.role === 'zsk') {
      k.state = 'active';
      k.activeAt = iso(t);
      emit('key.active', k, `ZSK ${k.tag} signs the zone (published ${Math.round((t - since) / 60)} min)`);
      for (const old of keys)
        if (old !== k && old.role === 'zsk' && old.state === 'active') {
          old.state = 'retired';
          old.retiredAt = iso(t);
          emit('key.retired', old, `ZSK ${old.tag} stops signing; removed after ${iret} s`);
        }
      fullResign = true;
    }
  }
  // KSK/CSK: the old one retires once the parent's DS names the successor, after the DS TTL.
  const sep = keys.filter((k) => signsKeys(k) && k.state === 'active');
  if (sep.length > 1) {
    const newest = sep[sep.length - 1]!;
    const seen = secs(newest.dsSeenAt);
    if (newest.ds === 'seen' && seen !== undefined && t >= seen + dsWait)
      for (const old of sep.slice(0, -1)) {
        old.state = 'retired';
        old.retiredAt = iso(t);
        emit(
          'key.retired',
          old,
          `${old.role.toUpperCase()} ${old.tag} retired: the parent's DS names ${newest.tag}`,
        );
        if (old.role === 'csk') fullResign = true;
      }
  }
  // Retired keys leave the DNSKEY RRset once their signatures have expired from caches.
  for (const k of keys) {
    if (k.state !== 'retired') continue;
    const since = secs(k.retiredAt) ?? t;
    const wait = k.role === 'zsk' ? iret : Math.max(iret, ipub);
    if (t < since + wait) continue;
    k.state = 'removed';
    k.removedAt = iso(t);
    emit('key.removed', k, `${k.role.toUpperCase()} ${k.tag} removed from the DNSKEY RRset`);
  }
  // Scheduled rollovers: start a successor when the active key reaches its lifetime.
  const start = (role: KeyRole, lifetime: number) => {
    if (lifetime <= 0) return;
    const active = keys.filter((k) => k.role === role && k.state === 'active');
    const pending = keys.some((k) => k.role === role && k.state === 'published');
    const newest = active[active.length - 1];
    if (!newest || pending || active.length > 1) return;
    if (t < (secs(newest.activeAt) ?? t) + lifetime) return;
    events.push(...startRollover(keys, role, input.newKey, t));
    if (role !== 'zsk') fullResign = fullResign || role === 'csk';
  };
  if (policy.scheme === 'csk') start('csk', policy.kskLifetime);
  else {
    start('zsk', policy.zskLifetime);
    start('ksk', policy.kskLifetime);
  }
  return { keys, zoneState, events, fullResign, changed: events.length > 0 };
}

/**
 * Begins a rollover of `role` now (scheduled, or on demand). A ZSK successor
 * is only published; a KSK or CSK successor is published and active at once
 * (double-KSK: it signs the DNSKEY RRset next to the old one, RFC 7583 §3.3).
 */
export function startRollover(
  keys: ManagedKey[],
  role: KeyRole,
  newKey: (role: KeyRole) => ManagedKey,
  t: number,
): KeyEvent[] {
  const k = newKey(role);
  k.state = role === 'zsk' ? 'published' : 'active';
  k.publishedAt = iso(t);
  if (role !== 'zsk') {
    k.activeAt = iso(t);
    // CDS/CDNSKEY name it only once its DNSKEY is in every cache (after Ipub: see advanceKeys).
    k.ds = 'none';
  }
  keys.push(k);
  return [
    {
      at: iso(t),
      action: role === 'zsk' ? 'key.published' : 'key.active',
      keyId: k.id,
      tag: k.tag,
      role,
      detail:
        role === 'zsk'
          ? `ZSK ${k.tag} published ahead of its use (pre-publication)`
          : `${role.toUpperCase()} ${k.tag} published, signing the DNSKEY RRset; CDS/CDNSKEY now name it`,
    },
  ];
}

/** The next events the timeline has in store (for the API and the CLI). */
export function plannedEvents(
  keys: readonly ManagedKey[],
  policy: KeyPolicy,
  ttls: ZoneTtls,
): PlannedEvent[] {
  const out: PlannedEvent[] = [];
  const ipub = policy.dnskeyTtl + policy.propagationDelay;
  const iret = ttls.maxTtl + policy.propagationDelay;
  for (const k of keys) {
    if (k.state === 'published')
      out.push({
        at: iso(secs(k.publishedAt)! + ipub),
        action: 'key.active',
        keyId: k.id,
        detail: `ZSK ${k.tag} starts signing`,
      });
    if (k.state === 'retired')
      out.push({
        at: iso(secs(k.retiredAt)! + iret),
        action: 'key.removed',
        keyId: k.id,
        detail: `key ${k.tag} leaves the DNSKEY RRset`,
      });
    if (k.state === 'active' && k.role === 'zsk' && policy.zskLifetime > 0)
      out.push({
        at: iso(secs(k.activeAt)! + policy.zskLifetime),
        action: 'rollover.zsk',
        keyId: k.id,
        detail: `ZSK ${k.tag} rollover begins`,
      });
    if (k.state === 'active' && k.role !== 'zsk' && policy.kskLifetime > 0)
      out.push({
        at: iso(secs(k.activeAt)! + policy.kskLifetime),
        action: `rollover.${k.role}`,
        keyId: k.id,
        detail: `${k.role.toUpperCase()} ${k.tag} rollover begins`,
      });
    if (k.role !== 'zsk' && k.state === 'active' && k.ds === 'none')
      out.push({
        at: iso(secs(k.publishedAt)! + ipub),
        action: 'cds.published',
        keyId: k.id,
        detail: `CDS/CDNSKEY name key ${k.tag}`,
      });
    if (k.role !== 'zsk' && k.state === 'active' && k.ds === 'pending')
      out.push({
        at: '',
        action: 'ds.wait',
        keyId: k.id,
        detail: `waiting for the parent's DS to name key ${k.tag} (checked through the resolver, or confirm through the API)`,
      });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}
