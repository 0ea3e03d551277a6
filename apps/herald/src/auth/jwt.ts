import type { Request } from 'express';
import jwksRsa from 'jwks-rsa';
import { Strategy as JwtStrategy, ExtractJwt, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import { Problem } from '../http/problem.js';
import type { AuthStore, Role } from '../ports/auth-store.port.js';
import type { Principal } from './principal.js';
import { canonicalZoneName } from '../zones/zone-name.js';

/**
 * JWT login through passport-jwt: HS256 with a shared secret
 * (HERALD_JWT_SECRET) or RS256/ES256 keys from a JWKS endpoint
 * (HERALD_JWKS_URL). Claims map to the principal:
 *   sub   -> actor `jwt:<sub>` (required)
 *   org   -> the org, by name (required; an unknown org is 401)
 *   role  -> admin | editor | viewer (required; `edge` is for API keys only)
 *   zones -> optional array of zone names the token is limited to
 *   exp   -> required: a token without expiry is refused
 * Optional issuer/audience checks come from HERALD_JWT_ISSUER / HERALD_JWT_AUDIENCE.
 */
export interface JwtConfig {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

const ROLES: readonly Role[] = ['admin', 'editor', 'viewer'];

export class JwtAuthenticator {
  private readonly strategy: JwtStrategy;

  constructor(
    config: JwtConfig,
    private readonly store: AuthStore,
  ) {
    if (!config.secret === !config.jwksUrl)
      throw new Error('JWT login needs exactly one of HERALD_JWT_SECRET or HERALD_JWKS_URL');
    const options: StrategyOptionsWithoutRequest = {
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ...(config.secret
        ? { secretOrKey: config.secret, algorithms: ['HS256'] }
        : {
            secretOrKeyProvider: jwksRsa.passportJwtSecret({
              jwksUri: config.jwksUrl!,
              cache: true,
              rateLimit: true,
              jwksRequestsPerMinute: 10,
            }),
            algorithms: ['RS256', 'ES256'],
          }),
      ...(config.issuer ? { issuer: config.issuer } : {}),
      ...(config.audience ? { audience: config.audience } : {}),
      jsonWebTokenOptions: { clockTolerance: 30 },
    };
    // The verify callback only hands the claims on; mapping needs the store (async) and happens below.
    this.strategy = new JwtStrategy(options, (claims: unknown, done: (e: unknown, user?: unknown) => void) =>
      done(null, claims),
    );
  }

  /** Verifies the bearer JWT on `req` and maps its claims; any failure is a 401 that says what was wrong. */
  async authenticate(req: Request): Promise<Principal> {
    const claims = await new Promise<Record<string, unknown>>((resolve, reject) => {
      // passport strategies report through these hooks; bind them to this one request.
      const s = Object.create(this.strategy) as JwtStrategy & {
        success(user: unknown): void;
        fail(info: unknown): void;
        error(e: unknown): void;
      };
      s.success = (user) => resolve(user as Record<string, unknown>);
      s.fail = (info) => reject(unauthorized(`invalid token: ${describe(info)}`));
      s.error = (e) => reject(unauthorized(`invalid token: ${describe(e)}`));
      s.authenticate(req);
    });
    const sub = claims['sub'];
    const orgName = claims['org'];
    const role = claims['role'];
    const zones = claims['zones'];
    if (typeof claims['exp'] !== 'number') throw unauthorized('the token has no expiry (exp)');
    if (typeof sub !== 'string' || !sub) throw unauthorized('the token has no subject (sub)');
    if (typeof orgName !== 'string') throw unauthorized('the token has no org claim');
    if (typeof role !== 'string' || !ROLES.includes(role as Role))
      throw unauthorized(`the token's role claim must be one of ${ROLES.join(', ')}`);
    if (zones !== undefined && !(Array.isArray(zones) && zones.every((z) => typeof z === 'string')))
      throw unauthorized('the zones claim must be an array of zone names');
    const org = await this.store.findOrgByName(orgName);
    if (!org) throw unauthorized('the token names an org this server does not have');
    return {
      orgId: org.id,
      actor: `jwt:${sub}`,
      role: role as Role,
      ...(zones ? { zones: scopeOf(zones as string[]) } : {}),
      expiresAt: new Date((claims['exp'] as number) * 1000),
    };
  }
}

/** The zones claim in canonical form; a malformed name makes the token invalid rather than silently reaching nothing. */
function scopeOf(zones: string[]): string[] {
  try {
    return zones.map((z, i) => canonicalZoneName(z, `zones[${i}]`));
  } catch {
    throw unauthorized('the zones claim holds an invalid zone name');
  }
}

function describe(info: unknown): string {
  return info instanceof Error ? info.message : typeof info === 'string' ? info : 'rejected';
}

function unauthorized(detail: string): Problem {
  return new Problem(401, 'Unauthorized', detail, [], { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
}
