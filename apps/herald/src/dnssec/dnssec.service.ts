// DNSSEC use cases: turn signing on and off (the safe way), show keys and
// DS, re-sign, roll keys over (scheduled and on demand), take the parent's
// DS into account. Every step goes through the ZoneWriter, so it is one
// audited change set with the signatures it needs.
import { randomUUID } from 'node:crypto';
import {
  ALGORITHM_NAMES,
  Name,
  RRType,
  advanceKeys,
  dnskeyOf,
  dsRecordsOf,
  generateKey,
  keyTag,
  plannedEvents,
  recordToString,
  startRollover,
  type DSRdata,
  type KeyEvent,
  type KeyRole,
  type ManagedKey,
  type Zone,
  type ZoneSigningState,
} from '@herald/dns';
import { authorize, type Principal } from '../auth/principal.js';
import { Problem } from '../http/problem.js';
import type { DnsClient, DnsServer } from '../ports/dns-client.port.js';
import type { JobQueue } from '../ports/job-queue.port.js';
import type { ZoneStore } from '../ports/zone-store.port.js';
import type { PlanAudit, ZoneWriter } from '../zones/zone-writer.js';
import { canonicalZoneName } from '../zones/zone-name.js';
import {
  DEFAULT_SETTINGS,
  fromStored,
  keyPolicyOf,
  withHistory,
  type DnssecDocument,
  type DnssecSettings,
} from './dnssec-document.js';
import { readDnssecRequest } from './dnssec-settings.js';
import type { KeyStore } from './key-store.js';
import type { SigningRequest } from './zone-signing.js';

/** Zones up to this many records are (re)signed inside the request; larger ones by a job. */
export const INLINE_SIGN_LIMIT = 20_000;
export const SIGN_JOB = 'dnssec.sign';
export const MAINTAIN_JOB = 'dnssec.maintain';

const SYSTEM = (orgId: string): Principal => ({ orgId, actor: 'system:dnssec', role: 'admin' });

const auditOf = (events: readonly KeyEvent[]): PlanAudit[] =>
  events.map((e) => ({ action: `dnssec.${e.action}`, after: e }));

function maxTtl(model: Zone): number {
  let max = 0;
  for (const set of model.rrsets()) if (set.ttl > max) max = set.ttl;
  return max;
}

export class DnssecService {
  constructor(
    private readonly store: ZoneStore,
    private readonly writer: ZoneWriter,
    private readonly keys: KeyStore,
    private readonly clock: () => Date,
    private readonly queue: JobQueue | undefined,
    private readonly dns?: { client: DnsClient; resolver: DnsServer },
  ) {}

  private newKey(
    zone: string,
    doc: { sealed: Record<string, string> },
    role: KeyRole,
    settings: DnssecSettings,
  ) {
    const pair = generateKey(settings.algorithm);
    const id = randomUUID();
    doc.sealed[id] = this.keys.seal(zone, id, pair.privateKey);
    const publicKey = Buffer.from(pair.publicKey).toString('base64');
    const key: ManagedKey = {
      id,
      role,
      algorithm: settings.algorithm,
      tag: keyTag(dnskeyOf({ role, algorithm: settings.algorithm, publicKey })),
      publicKey,
      state: 'published',
      ds: 'none',
      createdAt: this.clock().toISOString(),
    };
    return key;
  }

  async view(p: Principal, zoneName: string) {
    authorize(p, 'read', canonicalZoneName(zoneName));
    const zone = await this.store.getZone(p.orgId, canonicalZoneName(zoneName));
    if (!zone) throw Problem.notFound(`zone ${zoneName}`);
    let doc: DnssecDocument | undefined;
    let ttl = 0;
    await this.store.changeZone(p.orgId, zone.name, async (tx) => {
      doc = fromStored(await tx.dnssec());
      const soa = (await tx.records({ owner: zone.name, type: RRType.SOA }))[0];
      ttl = soa?.ttl ?? 3600;
    });
    return present(zone.name, doc, ttl, this.queue ? await this.jobState(doc) : undefined);
  }

  private async jobState(doc: DnssecDocument | undefined) {
    if (!doc?.job || !this.queue) return doc?.job;
    const s = await this.queue.status(doc.job.id);
    return s ? { id: s.id, state: s.state, progress: s.progress, at: doc.job.at, error: s.error } : doc.job;
  }

  /** PUT /dnssec: enable, change settings, or begin turning off. A large zone's first sign runs as a job. */
  async configure(p: Principal, zoneName: string, body: unknown) {
    const name = canonicalZoneName(zoneName);
    authorize(p, 'admin', name);
    const zone = await this.store.getZone(p.orgId, name);
    if (!zone) throw Problem.notFound(`zone ${zoneName}`);
    const before = await this.peek(p.orgId, name);
    // Checked now, so a bad body is a 422 even when the work is left to a job.
    const req = readDnssecRequest(body, before?.settings);
    const large = (await this.store.countRecords(zone.id)) > INLINE_SIGN_LIMIT;
    const firstEnable = req.enabled && (!before || before.signing === 'unsigned');
    if (firstEnable && large && this.queue) {
      const id = await this.queue.enqueue(
        SIGN_JOB,
        { orgId: p.orgId, zone: name, actor: p.actor, body: body as never },
        { jobId: signJobId(name) },
      );
      return { ...(await this.view(p, name)), job: { id, state: 'waiting', progress: 0 } };
    }
    await this.applySettings(p, name, body, large);
    return this.view(p, name);
  }

  private async applySettings(
    p: Principal,
    name: string,
    body: unknown,
    threads: boolean,
    onProgress?: (percent: number) => void,
  ) {
    let needsFull = false;
    let first = false;
    const now = () => this.clock().toISOString();
    const update: SigningRequest['update'] = (current) => {
      const req = readDnssecRequest(body, current?.settings);
      const audit: PlanAudit[] = [];
      if (!req.enabled) {
        if (!current || current.signing === 'unsigned')
          throw new Problem(409, 'Conflict', `DNSSEC is not enabled for ${name}`);
        // RFC 8078 §4: while the parent may hold a DS, the zone stays signed and asks for its removal.
        const parentHasDs = current.keys.some((k) => k.ds === 'seen');
        const signing = parentHasDs ? ('unsigning' as const) : ('unsigned' as const);
        const events: KeyEvent[] = [
          {
            at: now(),
            action: parentHasDs ? 'ds.withdrawn' : 'dnssec.unsigned',
            detail: parentHasDs
              ? 'CDS/CDNSKEY delete published: signatures stay until the parent removes its DS (RFC 8078 §4)'
              : 'no parent DS was ever seen: signatures and keys removed at once',
          },
        ];
        const keys = current.keys.map((k) =>
          parentHasDs || k.state === 'removed' ? k : { ...k, state: 'removed' as const, removedAt: now() },
        );
        audit.push({
          action: parentHasDs ? 'dnssec.disable.started' : 'dnssec.disabled',
          before: { signing: current.signing },
          after: { signing },
        });
        return { doc: withHistory({ ...current, keys, signing }, events), audit };
      }
      const settings = req.settings!;
      if (!current || current.signing === 'unsigned') {
        const doc: DnssecDocument = {
          signing: 'signed',
          settings,
          keys: [],
          sealed: {},
          history: current?.history ?? [],
        };
        const roles: KeyRole[] = settings.scheme === 'csk' ? ['csk'] : ['ksk', 'zsk'];
        for (const role of roles) {
          const k = this.newKey(name, doc, role, settings);
          // A first key has no predecessor to wait for: active at once, and offered to the parent.
          Object.assign(k, {
            state: 'active',
            publishedAt: now(),
            activeAt: now(),
            ds: role === 'zsk' ? 'none' : 'pending',
          });
          doc.keys.push(k);
        }
        first = true;
        audit.push({
          action: 'dnssec.enabled',
          after: {
            settings,
            keys: doc.keys.map((k) => ({ tag: k.tag, role: k.role, algorithm: k.algorithm })),
          },
        });
        return { doc, audit };
      }
      if (settings.algorithm !== current.settings.algorithm || settings.scheme !== current.settings.scheme)
        throw new Problem(
          409,
          'Conflict',
          `changing the algorithm or the key scheme of a signed zone needs an algorithm rollover, which herald does not do; ` +
            `turn DNSSEC off (and wait for the parent's DS to go), then on with the new settings`,
          [
            {
              field: settings.algorithm !== current.settings.algorithm ? 'algorithm' : 'keys',
              code: 'dnssec.conflict',
              message: "differs from the zone's signed configuration",
              rfc: 'RFC 6781 §4.1.4',
            },
          ],
        );
      needsFull =
        settings.denial !== current.settings.denial ||
        settings.validityDays !== current.settings.validityDays;
      audit.push({ action: 'dnssec.settings', before: current.settings, after: settings });
      if (current.signing === 'unsigning') audit.push({ action: 'dnssec.disable.cancelled' });
      return { doc: { ...current, signing: 'signed', settings }, audit };
    };
    const progress = onProgress
      ? {
          onProgress: (done: number, total: number) =>
            onProgress(total ? Math.floor((done / total) * 100) : 100),
        }
      : {};
    // A first enable signs in full; otherwise the refresh pass fixes what the settings touched.
    const peekFirst = await this.peek(p.orgId, name);
    const scope = !peekFirst || peekFirst.signing === 'unsigned' ? 'full' : 'refresh';
    await this.writer.write(p, name, undefined, () => ({
      changes: [],
      audit: [],
      signing: { scope, update, threads, ...progress },
    }));
    if (needsFull && !first) await this.resign(p, name, threads, onProgress);
  }

  private async peek(orgId: string, name: string): Promise<DnssecDocument | undefined> {
    let doc: DnssecDocument | undefined;
    await this.store.changeZone(orgId, name, async (tx) => {
      doc = fromStored(await tx.dnssec());
    });
    return doc;
  }

  private async enqueueSign(orgId: string, zone: string): Promise<string> {
    const id = await this.queue!.enqueue(SIGN_JOB, { orgId, zone }, { jobId: signJobId(zone) });
    await this.store.changeZone(orgId, zone, async (tx) => {
      const doc = fromStored(await tx.dnssec());
      if (doc)
        await tx.saveDnssec({
          signing: doc.signing,
          state: {
            ...doc,
            job: { id, state: 'waiting', progress: 0, at: this.clock().toISOString() },
          } as never,
        });
    });
    return id;
  }

  /** POST /sign: a full re-sign, by a job when there is a queue (progress in GET /dnssec). */
  async sign(p: Principal, zoneName: string): Promise<{ job?: string; signatures?: number }> {
    const name = canonicalZoneName(zoneName);
    authorize(p, 'write', name);
    const doc = await this.peek(p.orgId, name);
    if (!doc || doc.signing === 'unsigned')
      throw new Problem(409, 'Conflict', `DNSSEC is not enabled for ${name}`);
    if (this.queue) return { job: await this.enqueueSign(p.orgId, name) };
    await this.resign(p, name, false);
    return { signatures: (await this.peek(p.orgId, name))?.lastSign?.signatures ?? 0 };
  }

  /** The full sign itself (the job's handler, or inline). */
  async resign(
    p: Principal,
    name: string,
    threads: boolean,
    onProgress?: (percent: number) => void,
  ): Promise<void> {
    await this.writer.write(p, name, undefined, () => ({
      changes: [],
      audit: [{ action: 'dnssec.signed', after: { scope: 'full' } }],
      signing: {
        scope: 'full',
        threads,
        ...(onProgress
          ? {
              onProgress: (done: number, total: number) =>
                onProgress(total ? Math.floor((done / total) * 100) : 100),
            }
          : {}),
      },
    }));
  }

  /** Job handler: a large zone's first sign (with the request's body) or a full re-sign. */
  async runSignJob(
    data: { orgId: string; zone: string; actor?: string; body?: unknown },
    progress: (percent: number) => void,
  ): Promise<void> {
    const p: Principal = { orgId: data.orgId, actor: data.actor ?? 'system:dnssec', role: 'admin' };
    if (data.body !== undefined) await this.applySettings(p, data.zone, data.body, true, progress);
    else await this.resign(p, data.zone, true, progress);
  }

  /** POST /dnssec/rollover {role, emergency}. */
  async rollover(p: Principal, zoneName: string, body: unknown) {
    const name = canonicalZoneName(zoneName);
    authorize(p, 'admin', name);
    const b = (body ?? {}) as { role?: unknown; emergency?: unknown };
    if (b.role !== 'ksk' && b.role !== 'zsk' && b.role !== 'csk')
      throw Problem.invalid('the rollover request is not valid; nothing was changed', [
        { field: 'role', code: 'dnssec.role', message: "role: 'ksk', 'zsk' or 'csk'" },
      ]);
    const role = b.role;
    const emergency = b.emergency === true;
    let full = false;
    await this.writer.write(p, name, undefined, () => ({
      changes: [],
      audit: [],
      signing: {
        scope: 'refresh',
        update: (doc) => {
          if (!doc || doc.signing !== 'signed')
            throw new Problem(409, 'Conflict', `DNSSEC is not enabled for ${name}`);
          const want = doc.settings.scheme === 'csk' ? 'csk' : role === 'csk' ? undefined : role;
          if (want !== role)
            throw Problem.invalid('the rollover request is not valid; nothing was changed', [
              {
                field: 'role',
                code: 'dnssec.role',
                message: `role: this zone's keys are ${doc.settings.scheme}`,
              },
            ]);
          if (
            doc.keys.some((k) => k.role === role && k.state === 'published') ||
            doc.keys.filter((k) => k.role === role && k.state === 'active').length > 1
          )
            throw new Problem(409, 'Conflict', `a ${role.toUpperCase()} rollover is already under way`);
          const keys = doc.keys.map((k) => ({ ...k }));
          const sealed = { ...doc.sealed };
          const t = Math.floor(this.clock().getTime() / 1000);
          const events = startRollover(keys, role, (r) => this.newKey(name, { sealed }, r, doc.settings), t);
          if (emergency && role === 'zsk') {
            // The compromised ZSK stops signing now (validators that cached the old DNSKEY RRset may fail for its TTL).
            const fresh = keys[keys.length - 1]!;
            Object.assign(fresh, { state: 'active', activeAt: new Date(t * 1000).toISOString() });
            for (const k of keys)
              if (k !== fresh && k.role === 'zsk' && k.state === 'active')
                Object.assign(k, { state: 'retired', retiredAt: new Date(t * 1000).toISOString() });
            full = true;
          }
          if (role === 'csk') full = true;
          return {
            doc: withHistory({ ...doc, keys, sealed }, events),
            audit: [
              {
                action: emergency ? 'dnssec.rollover.emergency' : 'dnssec.rollover.started',
                after: { role },
              },
              ...auditOf(events),
            ],
          };
        },
      },
    }));
    if (full) await this.resign(p, name, false);
    return this.view(p, name);
  }

  /** POST /dnssec/ds {keyTags}: the operator says which DS the parent now publishes. */
  async confirmDs(p: Principal, zoneName: string, body: unknown) {
    const name = canonicalZoneName(zoneName);
    authorize(p, 'admin', name);
    const tags = (body as { keyTags?: unknown } | null)?.keyTags;
    if (!Array.isArray(tags) || tags.some((t) => !Number.isInteger(t) || t < 0 || t > 65535))
      throw Problem.invalid('the DS confirmation is not valid; nothing was changed', [
        {
          field: 'keyTags',
          code: 'dnssec.key-tags',
          message:
            'keyTags: the key tags of the DS records the parent publishes (integers 0-65535; [] for none)',
        },
      ]);
    await this.maintainZone(p, name, tags as number[]);
    return this.view(p, name);
  }

  /** One zone's timeline step and signature refresh (the scheduled job, or a DS confirmation). */
  async maintainZone(p: Principal, name: string, parentDsTags?: readonly number[]): Promise<void> {
    const doc = await this.peek(p.orgId, name);
    if (!doc || doc.signing === 'unsigned') return;
    let tags = parentDsTags;
    if (!tags && doc.settings.dsCheck === 'resolver') tags = await this.parentDs(name);
    let full = false;
    await this.writer.write(p, name, undefined, () => ({
      changes: [],
      audit: [],
      signing: {
        scope: 'refresh',
        update: (current, model) => {
          if (!current || current.signing === 'unsigned') return { doc: current!, audit: [] };
          let keys = current.keys;
          let signing: ZoneSigningState = current.signing;
          const sealed = { ...current.sealed };
          const events: KeyEvent[] = [];
          // Steps can follow each other at one instant (a key retired, then removed): run until still.
          for (let i = 0; i < 8; i++) {
            const r = advanceKeys({
              keys,
              policy: keyPolicyOf(current.settings),
              zoneState: signing,
              ttls: { maxTtl: maxTtl(model) },
              now: this.clock(),
              newKey: (role) => this.newKey(name, { sealed }, role, current.settings),
              ...(tags ? { parentDsTags: tags } : {}),
            });
            keys = r.keys;
            signing = r.zoneState;
            full = full || r.fullResign;
            events.push(...r.events);
            if (!r.changed) break;
          }
          return { doc: withHistory({ ...current, keys, sealed, signing }, events), audit: auditOf(events) };
        },
      },
    }));
    if (full) await this.resign(p, name, false);
  }

  /** Job handler: every signed zone. */
  async maintainAll(): Promise<number> {
    let n = 0;
    for (const { orgId, zone } of await this.store.dnssecZones()) {
      await this.maintainZone(SYSTEM(orgId), zone);
      n++;
    }
    return n;
  }

  /** The parent's DS key tags as the resolver sees them; undefined when it cannot tell. */
  private async parentDs(zone: string): Promise<number[] | undefined> {
    if (!this.dns) return undefined;
    try {
      const answer = await this.dns.client.query(this.dns.resolver, Name.parse(zone), RRType.DS, {
        recursionDesired: true,
        timeoutMs: 2000,
      });
      if (answer.rcode !== 0) return undefined;
      return answer.answers.filter((rr) => rr.type === RRType.DS).map((rr) => (rr.data as DSRdata).keyTag);
    } catch {
      return undefined;
    }
  }
}

/** One sign job per zone at a time; BullMQ ids cannot hold ':' (its key separator). */
function signJobId(zone: string): string {
  return `sign-${encodeURIComponent(zone)}`;
}

function present(zone: string, doc: DnssecDocument | undefined, ttl: number, job: unknown) {
  const origin = Name.parse(zone);
  if (!doc)
    return {
      zone,
      enabled: false,
      state: 'unsigned',
      settings: DEFAULT_SETTINGS,
      keys: [],
      ds: [],
      dnskey: [],
      nextEvents: [],
      history: [],
    };
  const live = doc.keys.filter((k) => k.state !== 'removed');
  const line = (type: number, data: unknown) => recordToString({ name: origin, type, class: 1, ttl, data });
  const policy = keyPolicyOf(doc.settings);
  return {
    zone,
    enabled: doc.signing !== 'unsigned',
    state: doc.signing,
    settings: doc.settings,
    keys: doc.keys.map((k) => ({
      id: k.id,
      tag: k.tag,
      algorithm: k.algorithm,
      algorithmName: ALGORITHM_NAMES[k.algorithm],
      role: k.role,
      state: k.state,
      ds: k.role === 'zsk' ? undefined : k.ds,
      createdAt: k.createdAt,
      publishedAt: k.publishedAt,
      activeAt: k.activeAt,
      retiredAt: k.retiredAt,
      removedAt: k.removedAt,
    })),
    // What to give the registrar: DS (SHA-256) and DNSKEY of the key-signing keys.
    ds: doc.signing === 'unsigned' ? [] : dsRecordsOf(origin, live).map((ds) => line(RRType.DS, ds)),
    dnskey:
      doc.signing === 'unsigned'
        ? []
        : live.filter((k) => k.role !== 'zsk').map((k) => line(RRType.DNSKEY, dnskeyOf(k))),
    nextEvents: doc.signing === 'signed' ? plannedEvents(doc.keys, policy, { maxTtl: ttl }) : [],
    history: doc.history.slice(-20),
    lastSign: doc.lastSign,
    ...(job ? { job } : {}),
  };
}
