// A year of key rollovers and signature refreshes on an injected clock. The
// parent is simulated: it copies the zone's CDS into its DS a day after it
// appears. After every step the zone must validate for every resolver,
// including ones holding DNSKEY, DS and RRSIG records cached from earlier
// steps (RFC 7583's point); ldns-verify-zone and kzonecheck check it with
// their clocks set to the step's time whenever the keys changed, and weekly.
import { randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import {
  DEFAULT_KEY_POLICY,
  DEFAULT_TIMING,
  RRType,
  advanceKeys,
  dnskeyOf,
  generateKey,
  keyTag,
  localSigner,
  signZone,
  signingSetupOf,
  type DSRdata,
  type KeyPolicy,
  type KeyRole,
  type ManagedKey,
  type PrivateKeyMaterial,
  type RRSIGRdata,
  type ZoneSigningState,
} from '@herald/dns';
import { fixtureZone, verifyWithTools } from './sign-fixture.js';

const DAY = 86400;

test('a year of ZSK and KSK rollovers never breaks validation, cached data included', async () => {
  const zone = fixtureZone();
  const policy: KeyPolicy = {
    ...DEFAULT_KEY_POLICY,
    algorithm: 13,
    scheme: 'ksk-zsk',
    denial: { kind: 'nsec3', iterations: 0, salt: new Uint8Array() },
    timing: DEFAULT_TIMING,
    zskLifetime: 90 * DAY,
    kskLifetime: 180 * DAY,
  };
  const material: PrivateKeyMaterial[] = [];
  let clock = Date.parse('2027-01-01T00:00:00Z');
  const newKey = (role: KeyRole): ManagedKey => {
    const pair = generateKey(13);
    const id = randomUUID();
    material.push({ id, algorithm: 13, privateKey: pair.privateKey });
    const publicKey = Buffer.from(pair.publicKey).toString('base64');
    return {
      id,
      role,
      algorithm: 13,
      tag: keyTag(dnskeyOf({ role, algorithm: 13, publicKey })),
      publicKey,
      state: 'published',
      ds: 'none',
      createdAt: new Date(clock).toISOString(),
    };
  };
  const at = () => new Date(clock).toISOString();
  let keys: ManagedKey[] = [newKey('ksk'), newKey('zsk')];
  for (const k of keys)
    Object.assign(k, {
      state: 'active',
      publishedAt: at(),
      activeAt: at(),
      ds: k.role === 'ksk' ? 'pending' : 'none',
    });
  let state: ZoneSigningState = 'signed';
  const signer = () => localSigner(material);
  await signZone(
    zone,
    signingSetupOf(zone.origin, keys, policy, state),
    new Date(clock),
    { kind: 'full' },
    signer(),
  );

  // The parent: publishes the zone's first DS at once, then follows CDS a day after it changes.
  let parentDs = new Set<number>([keys[0]!.tag]);
  let cdsSeen: { tags: string; since: number } | undefined;
  // What resolvers may hold: every DNSKEY set and DS set served, with when it stopped being served.
  const served: { dnskeys: Set<number>; ds: Set<number>; until: number }[] = [];
  const rollovers = { zsk: 0, ksk: 0 };
  let externalChecks = 0;
  let lastExternal = 0;

  for (let step = 0; clock < Date.parse('2028-01-01T00:00:00Z'); step++) {
    clock += 12 * 3600 * 1000;
    const now = new Date(clock);
    const t = Math.floor(clock / 1000);
    // The parent acts on CDS.
    const cds = (zone.get(zone.origin, RRType.CDS)?.rdatas ?? []) as DSRdata[];
    const tags = cds
      .map((d) => d.keyTag)
      .sort()
      .join(',');
    if (tags && tags !== [...parentDs].sort().join(',')) {
      if (cdsSeen?.tags !== tags) cdsSeen = { tags, since: t };
      else if (t - cdsSeen.since >= DAY) {
        served.push({ dnskeys: new Set(), ds: parentDs, until: t });
        parentDs = new Set(cds.map((d) => d.keyTag));
      }
    }
    const before = new Set(keys.filter((k) => k.state !== 'removed').map((k) => k.tag));
    let full = false;
    let changed = false;
    for (let i = 0; i < 8; i++) {
      const r = advanceKeys({
        keys,
        policy,
        zoneState: state,
        ttls: { maxTtl: 3600 },
        now,
        newKey,
        parentDsTags: [...parentDs],
      });
      keys = r.keys;
      state = r.zoneState;
      full ||= r.fullResign;
      for (const e of r.events) {
        if (e.action === 'key.active' && e.role === 'zsk') rollovers.zsk++;
        if (e.action === 'key.retired' && e.role === 'ksk') rollovers.ksk++;
      }
      changed ||= r.changed;
      if (!r.changed) break;
    }
    const setup = signingSetupOf(zone.origin, keys, policy, state);
    await signZone(zone, setup, now, { kind: full ? 'full' : 'refresh' }, signer());
    const after = new Set(keys.filter((k) => k.state !== 'removed').map((k) => k.tag));
    if ([...before].join() !== [...after].join()) served.push({ dnskeys: before, ds: new Set(), until: t });

    // Cached DNSKEY sets (up to their TTL + propagation ago) must still validate today's signatures,
    // and today's DNSKEY set must be vouched for by every DS a resolver may hold.
    const window = policy.dnskeyTtl + policy.propagationDelay;
    const sigs = [...zone.records()].filter((rr) => rr.type === RRType.RRSIG);
    const coveredBy = new Map<string, Set<number>>();
    for (const rr of sigs) {
      const s = rr.data as RRSIGRdata;
      const key = `${rr.name.key}|${s.typeCovered}`;
      if (!coveredBy.has(key)) coveredBy.set(key, new Set());
      coveredBy.get(key)!.add(s.keyTag);
      expect(s.expiration - t, `step ${step}: a signature under the refresh threshold`).toBeGreaterThan(
        policy.timing.refresh - DAY,
      );
    }
    const dnskeySigners = coveredBy.get(`${zone.origin.key}|${RRType.DNSKEY}`)!;
    for (const old of served.filter((x) => x.until > t - window && x.dnskeys.size))
      for (const [what, tagsOf] of coveredBy)
        if (!what.endsWith(`|${RRType.DNSKEY}`))
          expect(
            [...tagsOf].some((k) => old.dnskeys.has(k)),
            `step ${step}: ${what} unsigned by any key of a cached DNSKEY set`,
          ).toBe(true);
    for (const ds of [
      parentDs,
      ...served
        .filter((x) => x.until > t - policy.parentDsTtl - policy.propagationDelay && x.ds.size)
        .map((x) => x.ds),
    ])
      expect(
        [...ds].some((tag) => dnskeySigners.has(tag)),
        `step ${step}: a cached DS names no key signing the DNSKEY RRset`,
      ).toBe(true);

    if (changed || t - lastExternal >= 7 * DAY) {
      expect(verifyWithTools(zone, now), `step ${step} at ${now.toISOString()}`).toBe('');
      externalChecks++;
      lastExternal = t;
    }
  }
  // Four ZSK rollovers (every 90 days) and two KSK rollovers (every 180 days) in the year.
  expect(rollovers.zsk).toBeGreaterThanOrEqual(4);
  expect(rollovers.ksk).toBeGreaterThanOrEqual(1);
  expect(externalChecks).toBeGreaterThan(50);
}, 240_000);
