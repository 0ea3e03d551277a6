// The control plane's persistence port. Adapters: TypeORM on PostgreSQL, and
// the same TypeORM code on embedded PGlite (behind pglite-socket). Every
// mutation of a zone goes through `changeZone`, which holds the zone row
// locked for the whole transaction, so serial bumps never interleave.

export interface StoredZone {
  id: string;
  orgId: string;
  /** Absolute, lowercase, presentation form: `example.com.` */
  name: string;
  serial: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredRecord {
  id: string;
  zoneId: string;
  /** Owner, absolute presentation form as written (case kept). */
  owner: string;
  type: number;
  ttl: number;
  /** RDATA in canonical presentation form, names absolute. */
  value: string;
  metadata: Record<string, unknown>;
}

/** A record to write: `canonical` is its canonical RDATA octets (RFC 4034 §6.2), unique per owner and type. */
export interface NewRecord {
  /** Keep this id (an update keeps its record's id); a new one is generated when absent. */
  id?: string;
  owner: string;
  type: number;
  ttl: number;
  value: string;
  canonical: Uint8Array;
  metadata: Record<string, unknown>;
}

/** One committed change set, as edges and IXFR consume it: master-file lines, names absolute. */
export interface ChangeSet {
  zoneId: string;
  serial: number;
  previousSerial: number;
  removed: string[];
  added: string[];
  actor: string;
  at: Date;
}

export interface AuditEntry {
  orgId: string;
  /** API key id (`key:<id>`) or token subject (`jwt:<sub>`). */
  actor: string;
  action: string;
  zone?: string;
  before?: unknown;
  after?: unknown;
  /** A platform-managed record was overridden with `force: true`. */
  forced?: boolean;
  at: Date;
}

export interface RecordFilter {
  /** Absolute owner name, compared without case. */
  owner?: string;
  /** Any of these absolute owner names, compared without case. */
  owners?: string[];
  type?: number;
  /** Only these record ids (ids that are not valid ids match nothing). */
  ids?: string[];
}

export interface RecordPage {
  records: StoredRecord[];
  /** Opaque cursor for the next page, absent on the last one. */
  next?: string;
}

/** The view of one locked zone inside `changeZone`. */
export interface ZoneTransaction {
  readonly zone: StoredZone;
  /** Current records of the zone (all when no filter). */
  records(filter?: RecordFilter): Promise<StoredRecord[]>;
  /**
   * Writes one change set: deletes records by id, inserts new ones, sets the
   * serial, appends `change` to the change log and `audit` to the audit log.
   * Called at most once per transaction.
   */
  commit(input: {
    serial: number;
    removeIds: string[];
    add: NewRecord[];
    change: ChangeSet;
    audit: AuditEntry[];
  }): Promise<StoredRecord[]>;
  /**
   * Sets the metadata of records by id (metadata is not DNS data: the serial
   * does not move and nothing goes to the change log) and appends `audit` to
   * the audit log. Returns the updated rows; throws when an id is not a
   * record of the zone. May be called with or without `commit`.
   */
  updateMetadata(updates: MetadataUpdate[], audit: AuditEntry[]): Promise<StoredRecord[]>;
  /** Records of the zone marked platform-managed (`metadata.managed_by` present). */
  managedRecords(): Promise<StoredRecord[]>;
  /** The zone's DNSSEC document (see dnssec/dnssec-state.ts); undefined when DNSSEC was never set up. */
  dnssec(): Promise<StoredDnssec | undefined>;
  /** Writes the zone's DNSSEC document, in this transaction. */
  saveDnssec(state: StoredDnssec): Promise<void>;
}

/** A zone's DNSSEC document as stored: the store reads only `signing`. */
export interface StoredDnssec {
  signing: 'signed' | 'unsigning' | 'unsigned';
  state: Record<string, unknown>;
}

/** New metadata for one stored record. */
export interface MetadataUpdate {
  id: string;
  metadata: Record<string, unknown>;
}

export class ZoneExistsError extends Error {
  constructor(readonly zone: string) {
    super(`zone ${zone} already exists`);
  }
}

export interface ZoneStore {
  /** Creates a zone with its initial records (SOA, NS...). Throws ZoneExistsError when the name is taken. */
  createZone(input: {
    orgId: string;
    name: string;
    serial: number;
    records: NewRecord[];
    change: Omit<ChangeSet, 'zoneId'>;
    audit: AuditEntry;
  }): Promise<StoredZone>;
  listZones(orgId: string): Promise<StoredZone[]>;
  /** undefined when the zone does not exist or belongs to another org. */
  getZone(orgId: string, name: string): Promise<StoredZone | undefined>;
  /** Every zone of every org, by name: only for platform readers (edge keys), never for tenants. */
  listAllZones(): Promise<StoredZone[]>;
  /** A zone by name whatever its org: only for platform readers (edge keys), never for tenants. */
  findZone(name: string): Promise<StoredZone | undefined>;
  /** Deletes the zone, its records and change log; false when it did not exist for this org. */
  deleteZone(orgId: string, name: string, audit: AuditEntry): Promise<boolean>;
  /** Cursor pagination in a stable order (owner, type, id); fast on 1,000,000 records (keyset, not OFFSET). */
  listRecords(zoneId: string, filter: RecordFilter & { after?: string; limit: number }): Promise<RecordPage>;
  /** undefined when the zone has no record with this id (or the id is not a valid id). */
  getRecord(zoneId: string, id: string): Promise<StoredRecord | undefined>;
  countRecords(zoneId: string): Promise<number>;
  /** Runs `fn` with the zone row locked (SELECT ... FOR UPDATE) in one transaction; undefined zone = not found for this org. */
  changeZone<T>(orgId: string, name: string, fn: (tx: ZoneTransaction) => Promise<T>): Promise<T | undefined>;
  /** Change sets with serial after `since`, oldest first (at most `limit`); 'gone' when the log no longer reaches back that far. */
  changesSince(zoneId: string, since: number, limit?: number): Promise<ChangeSet[] | 'gone'>;
  /** Zones whose DNSSEC is on or being turned off (all orgs): the maintenance job's work list. */
  dnssecZones(): Promise<{ orgId: string; zone: string }[]>;
  /** Record count of every zone (all orgs), for the metrics endpoint. */
  recordCounts(): Promise<{ zone: string; records: number }[]>;
  /** Resolves when the database answers; readiness checks call it. */
  ping(): Promise<void>;
  /** Audit entries of an org, newest first. */
  audit(
    orgId: string,
    filter: { zone?: string; actor?: string; action?: string; limit: number },
  ): Promise<AuditEntry[]>;
}
