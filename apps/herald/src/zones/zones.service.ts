import {
  DnsError,
  Name,
  RRType,
  Zone,
  formatRecordLine,
  nextSerial,
  parseTtl,
  type ResourceRecord,
  type SOARdata,
} from '@herald/dns';
import { authorize, type Principal } from '../auth/principal.js';
import { Problem, type FieldError } from '../http/problem.js';
import type { ChangeFeed } from '../ports/change-feed.port.js';
import { publishQuietly } from './publish.js';
import { canonicalZoneName } from './zone-name.js';
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

const SOA_FIELDS = ['mname', 'rname', 'refresh', 'retry', 'expire', 'minimum'];

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
    return canonicalZoneName(text);
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
      // Signed exactly when herald published a DNSKEY RRset at the apex.
      dnssec: { enabled: apex.records.some((r) => r.type === RRType.DNSKEY) },
      createdAt: zone.createdAt.toISOString(),
      updatedAt: zone.updatedAt.toISOString(),
    };
  }

  async create(p: Principal, input: CreateZoneInput): Promise<StoredZone> {
    authorize(p, 'admin');
    const name = ZonesService.canonicalName(input.name);
    const origin = Name.parse(name);
    const now = this.clock();
    const serial = nextSerial(0, 'date', now);
    const records = this.initialRecords(origin, name, serial, input);
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
        // The first change set holds the records written, so an edge can follow the log from serial 0.
        change: {
          serial,
          previousSerial: 0,
          removed: [],
          added: records.map((rr) => formatRecordLine(rr)),
          actor: p.actor,
          at: now,
        },
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

  /**
   * The SOA and NS records of a new zone, built field by field (never by
   * pasting request text into RDATA, which would let `soa.mname` smuggle in
   * other fields). Every bad field is a 422 naming it.
   */
  private initialRecords(
    origin: Name,
    name: string,
    serial: number,
    input: CreateZoneInput,
  ): ResourceRecord[] {
    const errors: FieldError[] = [];
    const soa = input.soa ?? {};
    for (const key of Object.keys(soa))
      if (!SOA_FIELDS.includes(key))
        errors.push({
          field: `soa.${key}`,
          code: 'body.unknown-field',
          message: `soa.${key}: unknown field`,
        });
    const hostName = (text: unknown, field: string): Name | undefined => {
      if (typeof text !== 'string' || /[\s;()"]/.test(text)) {
        errors.push({
          field,
          code: 'name',
          message: `${field}: must be a domain name (no spaces, quotes, parentheses or ';')`,
        });
        return undefined;
      }
      try {
        return Name.parse(text, { origin, field });
      } catch (e) {
        if (!(e instanceof DnsError)) throw e;
        errors.push({ field, code: e.code, message: e.message, ...(e.rfc ? { rfc: e.rfc } : {}) });
        return undefined;
      }
    };
    const seconds = (value: unknown, fallback: number, field: string): number => {
      if (value === undefined) return fallback;
      try {
        return parseTtl(String(value), field, field === 'ttl' ? undefined : 0xffffffff);
      } catch (e) {
        if (!(e instanceof DnsError)) throw e;
        errors.push({ field, code: e.code, message: e.message, ...(e.rfc ? { rfc: e.rfc } : {}) });
        return fallback;
      }
    };
    const nsTexts =
      input.nameservers ??
      (this.defaults.nameservers.length ? this.defaults.nameservers : [`ns1.${name}`, `ns2.${name}`]);
    const ns = nsTexts.map((n, i) => hostName(n, `nameservers[${i}]`));
    const ttl = seconds(input.ttl, this.defaults.ttl, 'ttl');
    const data: Partial<SOARdata> = {
      mname: hostName(soa.mname ?? nsTexts[0] ?? `ns1.${name}`, 'soa.mname'),
      rname: hostName(soa.rname ?? `hostmaster.${name}`, 'soa.rname'),
      serial,
      refresh: seconds(soa.refresh, this.defaults.refresh, 'soa.refresh'),
      retry: seconds(soa.retry, this.defaults.retry, 'soa.retry'),
      expire: seconds(soa.expire, this.defaults.expire, 'soa.expire'),
      minimum: seconds(soa.minimum, this.defaults.minimum, 'soa.minimum'),
    };
    if (errors.length) throw Problem.invalid('invalid zone settings', errors);
    return [
      { name: origin, type: RRType.SOA, class: 1, ttl, data: data as SOARdata },
      ...ns.map((target) => ({ name: origin, type: RRType.NS, class: 1, ttl, data: { target: target! } })),
    ];
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
