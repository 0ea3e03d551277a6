import { type DynamicModule, Module } from '@nestjs/common';
import { ApiKeysController } from './auth/api-keys.controller.js';
import { ApiKeysService } from './auth/api-keys.service.js';
import { HEALTH_CHECK, HealthController } from './health/health.controller.js';
import { JwtAuthenticator, type JwtConfig } from './auth/jwt.js';
import { ApiMetrics, MetricsController } from './http/metrics.js';
import { RateLimiter } from './http/rate-limit.js';
import { AuthGuard } from './http/auth.guard.js';
import type { AuthStore } from './ports/auth-store.port.js';
import type { ChangeFeed } from './ports/change-feed.port.js';
import type { EdgeRegistry } from './ports/edge-registry.port.js';
import type { JobQueue } from './ports/job-queue.port.js';
import type { ZoneStore } from './ports/zone-store.port.js';
import { RecordsController } from './records/records.controller.js';
import { RecordsService } from './records/records.service.js';
import { ZoneWriter } from './zones/zone-writer.js';
import { ZonesController } from './zones/zones.controller.js';
import { ZoneFilesController } from './zones/zone-files.controller.js';
import { ZoneFilesService } from './zones/zone-files.service.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditService } from './audit/audit.service.js';
import { ZonesService, type ZoneDefaults } from './zones/zones.service.js';
import type { DnsClient, DnsServer } from './ports/dns-client.port.js';
import { UdpTcpDnsClient } from './adapters/dns-client/udp-tcp-dns-client.js';
import { VerifyController } from './zones/verify.controller.js';
import { VerifyService } from './zones/verify.service.js';
import { resolverFromEnvironment } from './zones/resolver-config.js';
import { EdgesController, PropagationController } from './edges/edges.controller.js';
import { EdgesService } from './edges/edges.service.js';
import { DnssecController } from './dnssec/dnssec.controller.js';
import { DnssecService } from './dnssec/dnssec.service.js';
import { KeyStore } from './dnssec/key-store.js';
import { ZoneSigning } from './dnssec/zone-signing.js';
import type { SecretBox } from './ports/secret-box.port.js';

/** What the API is wired to: adapters chosen by the process (PostgreSQL or PGlite, Redis or in-process). */
export interface ApiDependencies {
  zoneStore: ZoneStore;
  authStore: AuthStore;
  /** What edge servers last reported serving. */
  edgeRegistry: EdgeRegistry;
  changeFeed: ChangeFeed;
  /** Background jobs (BullMQ with REDIS_URL, else in-process); absent: the API enqueues nothing. */
  jobQueue?: JobQueue;
  /** Seals DNSSEC private keys (HERALD_MASTER_KEY); DNSSEC requests fail clearly without it. */
  secretBox?: SecretBox;
  zoneDefaults: ZoneDefaults;
  /** JWT login (HERALD_JWT_SECRET or HERALD_JWKS_URL); API keys only when absent. */
  jwt?: JwtConfig;
  /** Requests per principal per minute (default 100). */
  rateLimitPerMinute?: number;
  clock?: () => Date;
  /** How /verify asks name servers (default: UDP with TCP fallback). */
  dnsClient?: DnsClient;
  /** The resolver /verify asks (default: HERALD_RESOLVER, else /etc/resolv.conf's first nameserver, else 127.0.0.1:53). */
  resolver?: DnsServer;
}

/**
 * The NestJS edge of the hexagon: controllers and the guard are Nest
 * classes; the use cases are plain classes built here from the ports.
 */
@Module({})
export class HeraldApiModule {
  static forRoot(deps: ApiDependencies): DynamicModule {
    const clock = deps.clock ?? (() => new Date());
    const keyStore = new KeyStore(deps.secretBox);
    const writer = new ZoneWriter(
      deps.zoneStore,
      deps.changeFeed,
      clock,
      undefined,
      new ZoneSigning(keyStore),
    );
    const dnsClient = deps.dnsClient ?? new UdpTcpDnsClient();
    const resolver = deps.resolver ?? resolverFromEnvironment();
    const metrics = new ApiMetrics(deps.zoneStore);
    const keys = new ApiKeysService(deps.authStore, clock);
    return {
      module: HeraldApiModule,
      controllers: [
        HealthController,
        MetricsController,
        ZonesController,
        RecordsController,
        ZoneFilesController,
        AuditController,
        ApiKeysController,
        VerifyController,
        EdgesController,
        PropagationController,
        DnssecController,
      ],
      providers: [
        {
          provide: ZonesService,
          useValue: new ZonesService(deps.zoneStore, deps.changeFeed, deps.zoneDefaults, clock, (id) =>
            writer.forget(id),
          ),
        },
        {
          provide: RecordsService,
          useValue: new RecordsService(deps.zoneStore, writer, deps.zoneDefaults.ttl),
        },
        { provide: ZoneFilesService, useValue: new ZoneFilesService(deps.zoneStore, writer) },
        { provide: AuditService, useValue: new AuditService(deps.zoneStore) },
        {
          provide: VerifyService,
          useValue: new VerifyService(deps.zoneStore, dnsClient, resolver),
        },
        {
          provide: DnssecService,
          useValue: new DnssecService(deps.zoneStore, writer, keyStore, clock, deps.jobQueue, {
            client: dnsClient,
            resolver,
          }),
        },
        {
          provide: EdgesService,
          useValue: new EdgesService(deps.edgeRegistry, deps.zoneStore, (p) => keys.isOperator(p), clock),
        },
        { provide: ApiKeysService, useValue: keys },
        { provide: RateLimiter, useValue: new RateLimiter(deps.rateLimitPerMinute ?? 100) },
        { provide: ApiMetrics, useValue: metrics },
        { provide: HEALTH_CHECK, useValue: () => deps.zoneStore.ping() },
        ...(deps.jwt
          ? [{ provide: JwtAuthenticator, useValue: new JwtAuthenticator(deps.jwt, deps.authStore) }]
          : []),
        AuthGuard,
      ],
    };
  }
}
