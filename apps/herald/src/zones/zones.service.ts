import {
  Name,
  RRType,
  Zone,
  nextSerial,
  rdataFromText,
  type ResourceRecord,
  type SOARdata,
} from '@herald/dns';
import { authorize, type Principal } from '../auth/principal.js';
import { Problem } from '../http/problem.js';
import type { ChangeFeed } from '../ports/change-feed.port.js';
import { publishQuietly } from './publish.js';
import { readableZone, readableZones } from './zone-access.js';
import { ZoneExistsError, type StoredZone, type ZoneStore } from '../ports/zone-store.port.js';
import { toNewRecord, toResourceRecord } from '../records/record-mapping.js';
import { ruleErrors } from './zone-writer.js';

/** Defaults for new zones, from configuration; each can be overridden per zone. */
export interface ZoneDefaults {
  /** Absolute names of the zone's name servers; empty means ns1/ns2 inside the zone. */
  nameservers: string[];
  ttl: number;
  refresh: number;
  retry: number;
  expire: number;
  /** Negative-caching TTL (RFC 2308). */
  minimum: number;
}

export interface CreateZoneInput {
  name: string;
  nameservers?: string[];
  ttl?: number;
  soa?: Partial<{
    mname: string;
    rname: string;
    refresh: number;
    retry: number;
    expire: number;
    minimum: number;
  }>;
}

export interface ZoneDetails {
  name: string;
  serial: number;
  soa: string;
  nameservers: string[];
  recordCount: number;
  dnssec: { enabled: boolean };
  createdAt: string;
  updatedAt: string;
}

export class ZonesService {
  constructor(
    private readonly store: ZoneStore,
    private readonly feed: ChangeFeed,
    private readonly defaults: ZoneDefaults,
    private readonly clock: () => Date,
    /** Told when a zone is deleted, so its cached model is released. */
    private readonly onDeleted: (zoneId: string) => void = () => undefined,
  ) {}

  /** Zone names are absolute and lowercase in storage and in the API. */
  static canonicalName(text: string): string {
    try {
      const n = Name.parse(text.endsWith('.') ? text : `${text}.`, { field: 'name' });
      if (n.isRoot)
        throw Problem.invalid('the root zone cannot be created here', [
          { field: 'name', code: 'zone.root', message: 'name: the root zone is not supported' },
        ]);
      return n.toLowerCase().toString();
    } catch (e) {
      if (e instanceof Problem) throw e;
      const err = e as { code?: string; message: string };
      throw Problem.invalid('invalid zone name', [
        { field: 'name', code: err.code ?? 'name', message: err.message },
      ]);
    }
  }

  async list(p: Principal): Promise<StoredZone[]> {
    authorize(p, 'read');
    return readableZones(this.store, p);
  }

  async get(p: Principal, zoneName: string): Promise<ZoneDetails> {
    const name = ZonesService.canonicalName(zoneName);
    authorize(p, 'read', name);
    const zone = await readableZone(this.store, p, name);
    if (!zone) throw Problem.notFound(`zone ${name}`);
    const apex = await this.store.listRecords(zone.id, { owner: name, limit: 1000 });
    const soa = apex.records.find((r) => r.type === RRType.SOA);
    return {
      name,
      serial: zone.serial,
      soa: soa?.value ?? '',
      nameservers: apex.records
        .filter((r) => r.type === RRType.NS)
        .map((r) => (toResourceRecord(r).data as { target: Name }).target)
        .sort((a, b) => a.compare(b))
        .map((n) => n.toString()),
      recordCount: await this.store.countRecords(zone.id),
      dnssec: { enabled: false },
      createdAt: zone.createdAt.toISOString(),
      updatedAt: zone.updatedAt.toISOString(),
    };
  }

  async create(p: Principal, input: CreateZoneInput): Promise<StoredZone> {
    authorize(p, 'admin');
    const name = ZonesService.canonicalName(input.name);
    const origin = Name.parse(name);
    const now = this.clock();
    const ttl = input.ttl ?? this.defaults.ttl;
    const ns =
      input.nameservers ??
      (this.defaults.nameservers.length ? this.defaults.nameservers : [`ns1.${name}`, `ns2.${name}`]);
    const serial = nextSerial(0, 'date', now);
    const soaText = [
      input.soa?.mname ?? ns[0] ?? `ns1.${name}`,
      input.soa?.rname ?? `hostmaster.${name}`,
      serial,
      input.soa?.refresh ?? this.defaults.refresh,
      input.soa?.retry ?? this.defaults.retry,
      input.soa?.expire ?? this.defaults.expire,
      input.soa?.minimum ?? this.defaults.minimum,
    ].join(' ');
    const records: ResourceRecord[] = [];
    try {
      records.push({
        name: origin,
        type: RRType.SOA,
        class: 1,
        ttl,
        data: rdataFromText(RRType.SOA, soaText, { origin }) as SOARdata,
      });
      for (const n of ns)
        records.push({
          name: origin,
          type: RRType.NS,
          class: 1,
          ttl,
          data: rdataFromText(RRType.NS, n, { origin }),
        });
    } catch (e) {
      const err = e as { code?: string; message: string };
      throw Problem.invalid('invalid SOA or name servers', [
        { field: 'soa', code: err.code ?? 'soa', message: err.message },
      ]);
    }
    const built = Zone.build(origin, records);
    if (!built.zone)
      throw Problem.invalid(
        'the new zone breaks zone rules',
        ruleErrors(built.problems.filter((x) => x.severity === 'error')),
      );
    try {
      const zone = await this.store.createZone({
        orgId: p.orgId,
        name,
        serial,
        records: records.map((rr) => toNewRecord(rr, {})),
        change: { serial, previousSerial: 0, removed: [], added: [], actor: p.actor, at: now },
        audit: {
          orgId: p.orgId,
          actor: p.actor,
          action: 'zone.create',
          zone: name,
          after: { name, serial },
          at: now,
        },
      });
      await publishQuietly(this.feed, { zone: name, serial });
      return zone;
    } catch (e) {
      // Zone names are global (edges serve one copy of each); say so without naming the owner.
      if (e instanceof ZoneExistsError)
        throw new Problem(409, 'Conflict', `zone ${name} is already served by this platform`);
      throw e;
    }
  }

  async delete(p: Principal, zoneName: string): Promise<void> {
    const name = ZonesService.canonicalName(zoneName);
    authorize(p, 'admin', name);
    const zone = await this.store.getZone(p.orgId, name);
    const deleted =
      zone &&
      (await this.store.deleteZone(p.orgId, name, {
        orgId: p.orgId,
        actor: p.actor,
        action: 'zone.delete',
        zone: name,
        before: { name, serial: zone.serial },
        at: this.clock(),
      }));
    if (!zone || !deleted) throw Problem.notFound(`zone ${name}`);
    this.onDeleted(zone.id);
    await publishQuietly(this.feed, { zone: name, serial: zone.serial, deleted: true });
  }
}
