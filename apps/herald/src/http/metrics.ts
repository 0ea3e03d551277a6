import { Controller, Get, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ZoneStore } from '../ports/zone-store.port.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { AuthGuard, type AuthedRequest } from './auth.guard.js';
import { Problem } from './problem.js';

/** The API's Prometheus metrics: requests by route, method and status; latency; records per zone. */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'herald_http_requests_total',
    help: 'HTTP requests by route template, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'herald_http_request_duration_seconds',
    help: 'HTTP request latency by route template and method',
    labelNames: ['route', 'method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });

  constructor(store: ZoneStore) {
    collectDefaultMetrics({ register: this.registry, prefix: 'herald_' });
    new Gauge({
      name: 'herald_zone_records',
      help: 'Records per zone',
      labelNames: ['zone'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { zone, records } of await store.recordCounts()) this.set({ zone }, records);
      },
    });
  }

  /** Express middleware: labels use the route template (`/v1/zones/:zone`), never raw paths, so cardinality stays bounded. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const end = this.latency.startTimer();
      res.on('finish', () => {
        const route = req.route ? `${req.baseUrl}${(req.route as { path: string }).path}` : 'unmatched';
        end({ route, method: req.method });
        this.requests.inc({ route, method: req.method, status: String(res.statusCode) });
      });
      next();
    };
  }
}

/**
 * Prometheus scrapes with a bearer token like any client. The metrics name
 * every org's zones, so only platform staff (the operator org, or an edge
 * key) may read them.
 */
@ApiExcludeController()
@UseGuards(AuthGuard)
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: ApiMetrics,
    private readonly keys: ApiKeysService,
  ) {}

  @Get('metrics')
  async metrics_(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    if (!(await this.keys.isOperator(req.principal)))
      throw new Problem(
        403,
        'Forbidden',
        'metrics cover every org: only the operator org or an edge key may read them',
      );
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
