import {
  Name,
  RRType,
  Rcode,
  printRdata,
  rcodeToString,
  typeToString,
  type Message,
  type ResourceRecord,
  type TargetRdata,
} from '@herald/dns';
import { authorize, type Principal } from '../auth/principal.js';
import { Problem } from '../http/problem.js';
import { DnsQueryError, formatServer, type DnsClient, type DnsServer } from '../ports/dns-client.port.js';
import type { RecordFilter, StoredRecord, StoredZone, ZoneStore } from '../ports/zone-store.port.js';
import { toResourceRecord } from '../records/record-mapping.js';
import { ZonesService } from './zones.service.js';

/** One finding. Codes are stable; messages are for people. */
export interface VerifyProblem {
  code: string;
  message: string;
}

/** A report-wide finding; `servers` lists the parent servers that showed it, when it is about some. */
export interface ReportProblem extends VerifyProblem {
  servers?: { name: string; address: string | null }[];
}

export type ServerStatus = 'ok' | 'mismatch' | 'unreachable' | 'error';

/** What one parent server (one address of one of the parent's NS names) said. */
export interface ServerReport {
  /** The parent's name server, e.g. `a.gtld-servers.net.` */
  name: string;
  /** The address asked; null when the resolver found none for the name. */
  address: string | null;
  status: ServerStatus;
  /** The answer's RCODE, when one came. */
  rcode?: string;
  /** Where the delegation was read: a referral's authority section, or an authoritative answer. */
  source?: 'referral' | 'answer';
  /** The NS names the server gives for the zone (empty without a delegation). */
  ns: string[];
  /** Glue it gave for NS names inside the zone: name -> addresses. */
  glue: Record<string, string[]>;
  problems: VerifyProblem[];
}

export interface VerifyReport {
  zone: string;
  /** The zone the delegation lives in, as the resolver found it. */
  parent: string;
  /** The resolver asked, `address:port`. */
  resolver: string;
  /** True when there is no problem at all. */
  ok: boolean;
  nameservers: {
    /** The zone's apex NS set, in herald. */
    zone: string[];
    /** Every NS name the parent servers gave (their union). */
    parent: string[];
  };
  /** What glue should be: the zone's own A/AAAA for NS names inside it. */
  glue: Record<string, string[]>;
  servers: ServerReport[];
  problems: ReportProblem[];
}

export interface VerifyOptions {
  /** Per attempt, for the resolver and each parent server (default: the client's). */
  timeoutMs?: number;
}

/** Names as reports show them: absolute, lowercase. */
const show = (n: Name) => n.toLowerCase().toString();

const byName = (a: Name, b: Name) => a.compare(b);

function uniqueNames(names: Name[]): Name[] {
  const seen = new Map<string, Name>();
  for (const n of names) if (!seen.has(n.key)) seen.set(n.key, n);
  return [...seen.values()].sort(byName);
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** Addresses are compared in their canonical presentation form, so `2001:DB8::1` equals `2001:db8:0::1`. */
const addressOf = (rr: ResourceRecord) => printRdata(rr.type, rr.data);

/**
 * `POST /v1/zones/{zone}/verify`: asks the zone's parent whether its
 * delegation matches the zone. The parent is found through a resolver
 * (RD=1); then every address of every parent server is asked directly
 * (RD=0) for the zone's NS set, and each answer is compared with the zone.
 * Nothing is invented: when the resolver cannot be asked the request fails
 * with 502, and a parent server that cannot be asked is reported as such.
 */
export class VerifyService {
  constructor(
    private readonly store: ZoneStore,
    private readonly dns: DnsClient,
    private readonly resolver: DnsServer,
    private readonly options: VerifyOptions = {},
  ) {}

  async verify(p: Principal, zoneName: string): Promise<VerifyReport> {
    const name = ZonesService.canonicalName(zoneName);
    authorize(p, 'read', name);
    const zone = await this.store.getZone(p.orgId, name);
    if (!zone) throw Problem.notFound(`zone ${name}`);
    const origin = Name.parse(name);

    const zoneNs = uniqueNames(
      (await this.records(zone, { owner: name, type: RRType.NS })).map(
        (r) => (toResourceRecord(r).data as TargetRdata).target,
      ),
    );
    const expectedGlue = await this.zoneAddresses(
      zone,
      zoneNs.filter((n) => n.isSubdomainOf(origin)),
    );

    const parent = await this.findParent(origin);
    const targets = await this.parentServers(parent);
    const servers = await Promise.all(
      targets.map((t) => this.askParent(t.name, t.address, origin, zoneNs, expectedGlue, t.note)),
    );
    servers.sort(
      (a, b) =>
        byName(Name.parse(a.name), Name.parse(b.name)) || (a.address ?? '').localeCompare(b.address ?? ''),
    );

    const problems = this.reportProblems(origin, parent, expectedGlue, servers);
    const parentNs = uniqueNames(servers.flatMap((s) => s.ns.map((n) => Name.parse(n))));
    return {
      zone: name,
      parent: show(parent),
      resolver: formatServer(this.resolver),
      ok: problems.length === 0,
      nameservers: { zone: zoneNs.map(show), parent: parentNs.map(show) },
      glue: Object.fromEntries(expectedGlue),
      servers,
      problems,
    };
  }

  /** Every record of the zone matching `filter`, across pages. */
  private async records(zone: StoredZone, filter: RecordFilter): Promise<StoredRecord[]> {
    const out: StoredRecord[] = [];
    let after: string | undefined;
    do {
      const page = await this.store.listRecords(zone.id, {
        ...filter,
        limit: 1000,
        ...(after ? { after } : {}),
      });
      out.push(...page.records);
      after = page.next;
    } while (after);
    return out;
  }

  /** The zone's A/AAAA for each in-zone NS name (an empty list when it has none). */
  private async zoneAddresses(zone: StoredZone, names: Name[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const n of names) {
      const found = await Promise.all(
        [RRType.A, RRType.AAAA].map((type) => this.records(zone, { owner: n.toString(), type })),
      );
      out.set(show(n), [...new Set(found.flat().map((r) => addressOf(toResourceRecord(r))))].sort());
    }
    return out;
  }

  /** Asks the resolver; any failure to get an answer is the request's failure (502). */
  private async askResolver(name: Name, type: number): Promise<Message> {
    try {
      return await this.dns.query(this.resolver, name, type, {
        recursionDesired: true,
        ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}),
      });
    } catch (e) {
      if (e instanceof DnsQueryError)
        throw this.resolverProblem(`could not ask it for ${show(name)} ${typeToString(type)}: ${e.message}`);
      throw e;
    }
  }

  private resolverProblem(detail: string): Problem {
    return new Problem(
      502,
      'Bad Gateway',
      `resolver ${formatServer(this.resolver)}: ${detail}; nothing was verified (HERALD_RESOLVER sets the resolver)`,
    );
  }

  /**
   * The zone the delegation lives in: the owner of the SOA the resolver
   * gives for the parent name, in the answer or, for NODATA and NXDOMAIN,
   * in the authority section (RFC 2308 §3).
   */
  private async findParent(origin: Name): Promise<Name> {
    const above = origin.parent(1);
    const reply = await this.askResolver(above, RRType.SOA);
    if (reply.rcode !== Rcode.NOERROR && reply.rcode !== Rcode.NXDOMAIN)
      throw this.resolverProblem(`it answered ${rcodeToString(reply.rcode)} for ${show(above)} SOA`);
    const soa =
      reply.answers.find((rr) => rr.type === RRType.SOA) ??
      reply.authorities.find((rr) => rr.type === RRType.SOA);
    if (!soa || origin.equals(soa.name) || !origin.isSubdomainOf(soa.name))
      throw this.resolverProblem(`its answer for ${show(above)} SOA names no zone above ${show(origin)}`);
    return soa.name;
  }

  /** The parent's NS names and each one's addresses, through the resolver. */
  private async parentServers(
    parent: Name,
  ): Promise<{ name: Name; address: string | null; note?: string }[]> {
    const reply = await this.askResolver(parent, RRType.NS);
    if (reply.rcode !== Rcode.NOERROR)
      throw this.resolverProblem(`it answered ${rcodeToString(reply.rcode)} for ${show(parent)} NS`);
    const names = uniqueNames(
      reply.answers
        .filter((rr) => rr.type === RRType.NS && rr.name.equals(parent))
        .map((rr) => (rr.data as TargetRdata).target),
    );
    if (names.length === 0) throw this.resolverProblem(`it gave no NS records for ${show(parent)}`);
    const perName = await Promise.all(
      names.map(async (name) => {
        const replies = await Promise.all([RRType.A, RRType.AAAA].map((t) => this.askResolver(name, t)));
        const addresses = replies.flatMap((r) =>
          r.answers.filter((rr) => (rr.type === RRType.A || rr.type === RRType.AAAA) && rr.name.equals(name)),
        );
        const unique = [...new Set(addresses.map(addressOf))].sort();
        if (unique.length > 0) return unique.map((address) => ({ name, address }));
        const rcodes = replies
          .map((r, i) => `${i === 0 ? 'A' : 'AAAA'} ${rcodeToString(r.rcode)}`)
          .join(', ');
        return [{ name, address: null, note: `the resolver found no address for it (${rcodes})` }];
      }),
    );
    return perName.flat();
  }

  /** Asks one parent server for the zone's NS set and compares its delegation with the zone. */
  private async askParent(
    name: Name,
    address: string | null,
    origin: Name,
    zoneNs: Name[],
    expectedGlue: Map<string, string[]>,
    note?: string,
  ): Promise<ServerReport> {
    const report: ServerReport = {
      name: show(name),
      address,
      status: 'error',
      ns: [],
      glue: {},
      problems: [],
    };
    const fail = (status: ServerStatus, code: string, message: string) => {
      report.status = status;
      report.problems.push({ code, message });
      return report;
    };
    if (address === null) return fail('error', 'server.no-address', `${show(name)}: ${note ?? 'no address'}`);

    let reply: Message;
    try {
      reply = await this.dns.query({ address, port: 53 }, origin, RRType.NS, {
        recursionDesired: false,
        ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}),
      });
    } catch (e) {
      if (!(e instanceof DnsQueryError)) throw e;
      if (e.reason === 'malformed') return fail('error', 'server.malformed', e.message);
      return fail('unreachable', e.reason === 'timeout' ? 'server.timeout' : 'server.unreachable', e.message);
    }
    report.rcode = rcodeToString(reply.rcode);
    const zone = show(origin);
    switch (reply.rcode) {
      case Rcode.NOERROR:
        break;
      case Rcode.NXDOMAIN:
        return fail('mismatch', 'delegation.missing', `answered NXDOMAIN: the parent has no ${zone}`);
      case Rcode.REFUSED:
        return fail('error', 'server.refused', `answered REFUSED: it does not serve the parent zone`);
      case Rcode.SERVFAIL:
        return fail('error', 'server.servfail', `answered SERVFAIL`);
      default:
        return fail('error', 'server.rcode', `answered ${report.rcode}`);
    }

    const nsIn = (section: readonly ResourceRecord[]) =>
      section.filter((rr) => rr.type === RRType.NS && rr.name.equals(origin));
    const fromAnswer = nsIn(reply.answers);
    const fromReferral = nsIn(reply.authorities);
    const delegation = fromAnswer.length > 0 ? fromAnswer : fromReferral;
    if (delegation.length === 0) {
      if (reply.flags.aa)
        return fail(
          'mismatch',
          'delegation.missing',
          `answered with no NS records: the parent has no delegation for ${zone}`,
        );
      return fail(
        'error',
        'server.lame',
        `answered without authority and without a delegation for ${zone}: it does not serve the parent zone`,
      );
    }
    report.source = fromAnswer.length > 0 ? 'answer' : 'referral';
    const parentNs = uniqueNames(delegation.map((rr) => (rr.data as TargetRdata).target));
    report.ns = parentNs.map(show);
    for (const rr of reply.additionals) {
      if (rr.type !== RRType.A && rr.type !== RRType.AAAA) continue;
      if (!rr.name.isSubdomainOf(origin) || !parentNs.some((n) => n.equals(rr.name))) continue;
      const list = (report.glue[show(rr.name)] ??= []);
      const a = addressOf(rr);
      if (!list.includes(a)) list.push(a);
    }
    for (const list of Object.values(report.glue)) list.sort();

    const has = (set: Name[], n: Name) => set.some((x) => x.equals(n));
    for (const n of zoneNs)
      if (!has(parentNs, n))
        report.problems.push({
          code: 'ns.missing',
          message: `${show(n)} is in the zone's NS set but not in the parent's delegation`,
        });
    for (const n of parentNs)
      if (!has(zoneNs, n))
        report.problems.push({
          code: 'ns.extra',
          message: `the parent's delegation has ${show(n)}, which is not in the zone's NS set`,
        });
    for (const n of zoneNs) {
      if (!n.isSubdomainOf(origin) || !has(parentNs, n)) continue;
      const expected = expectedGlue.get(show(n)) ?? [];
      const actual = report.glue[show(n)] ?? [];
      const zoneHas = expected.length ? expected.join(', ') : 'no address';
      // An authoritative answer need not carry addresses; a referral to an in-zone name must (RFC 9471).
      if (actual.length === 0 && expected.length > 0 && report.source === 'referral')
        report.problems.push({
          code: 'glue.missing',
          message: `the parent gives no glue for ${show(n)}; the zone has ${zoneHas}`,
        });
      else if (actual.length > 0 && !sameSet(actual, expected))
        report.problems.push({
          code: 'glue.different',
          message: `the parent's glue for ${show(n)} is ${actual.join(', ')}; the zone has ${zoneHas}`,
        });
    }
    report.status = report.problems.length > 0 ? 'mismatch' : 'ok';
    return report;
  }

  /** Zone-side findings, each server finding once (with the servers showing it), and parent disagreement. */
  private reportProblems(
    origin: Name,
    parent: Name,
    expectedGlue: Map<string, string[]>,
    servers: ServerReport[],
  ): ReportProblem[] {
    const out: ReportProblem[] = [];
    for (const [n, addresses] of expectedGlue)
      if (addresses.length === 0)
        out.push({
          code: 'zone.no-address',
          message: `${n} is a name server inside ${show(origin)} but the zone has no A or AAAA record for it`,
        });

    const grouped = new Map<
      string,
      ReportProblem & { servers: { name: string; address: string | null }[] }
    >();
    for (const s of servers)
      for (const p of s.problems) {
        const key = `${p.code}\n${p.message}`;
        const g = grouped.get(key) ?? { ...p, servers: [] };
        g.servers.push({ name: s.name, address: s.address });
        grouped.set(key, g);
      }
    out.push(...grouped.values());

    const answered = servers.filter((s) => s.status === 'ok' || s.status === 'mismatch');
    if (answered.length === 0)
      out.push({
        code: 'parent.unanswered',
        message: `no server of ${show(parent)} answered; the delegation could not be checked`,
      });
    const view = (s: ServerReport) =>
      s.source === undefined
        ? 'no delegation'
        : [s.ns.join(' '), ...Object.entries(s.glue).map(([n, a]) => `glue ${n} ${a.join(' ')}`)].join(', ');
    const views = new Map<string, ServerReport[]>();
    for (const s of answered) views.set(view(s), [...(views.get(view(s)) ?? []), s]);
    if (views.size > 1)
      out.push({
        code: 'parents.disagree',
        message: `the servers of ${show(parent)} disagree: ${[...views]
          .map(([v, list]) => `${list.map((s) => `${s.name} ${s.address}`).join(', ')}: ${v}`)
          .join('; ')}`,
        servers: answered.map((s) => ({ name: s.name, address: s.address })),
      });
    return out;
  }
}
