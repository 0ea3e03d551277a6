import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Problem } from '../http/problem.js';

/** Resolves when the process's dependencies (the database) answer. */
export const HEALTH_CHECK = Symbol('HealthCheck');

/** Liveness and readiness: no auth, no tenant data. */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(@Inject(HEALTH_CHECK) private readonly check: () => Promise<void>) {}

  /** The process is up. */
  @Get('healthz')
  healthz() {
    return { status: 'ok' };
  }

  /** The process can serve: its database answers. */
  @Get('readyz')
  async readyz() {
    try {
      await this.check();
    } catch {
      throw new Problem(503, 'Service Unavailable', 'the database does not answer');
    }
    return { status: 'ready' };
  }
}
