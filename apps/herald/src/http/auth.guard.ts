import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { JwtAuthenticator } from '../auth/jwt.js';
import type { Principal } from '../auth/principal.js';
import { Problem } from './problem.js';
import { RateLimiter } from './rate-limit.js';

export type AuthedRequest = Request & { principal: Principal };

/** API keys have a recognisable prefix; anything else is tried as a JWT when JWT login is configured. */
const API_KEY = /^hk_/;

/**
 * Every /v1 route needs `Authorization: Bearer <API key or JWT>`. The
 * principal rides on the request; each principal is then rate limited
 * (429 with Retry-After).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly limiter: RateLimiter,
    @Optional() @Inject(JwtAuthenticator) private readonly jwt?: JwtAuthenticator,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m)
      throw new Problem(401, 'Unauthorized', 'send Authorization: Bearer <API key or token>', [], {
        'WWW-Authenticate': 'Bearer',
      });
    const token = m[1]!;
    if (API_KEY.test(token) || !this.jwt) req.principal = await this.keys.authenticate(token);
    else req.principal = await this.jwt.authenticate(req);
    // Per org and actor: JWT subjects are only unique within their issuer's org.
    const wait = this.limiter.take(`${req.principal.orgId}|${req.principal.actor}`);
    if (wait > 0)
      throw new Problem(
        429,
        'Too Many Requests',
        `more than ${this.limiter.perMinute} requests in a minute; retry in ${wait} s`,
        [],
        {
          'Retry-After': String(wait),
        },
      );
    return true;
  }
}
