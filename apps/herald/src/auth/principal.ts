import type { Role } from '../ports/auth-store.port.js';
import { Problem } from '../http/problem.js';

/** Who is calling: resolved from an API key or a JWT before any use case runs. */
export interface Principal {
  orgId: string;
  /** `key:<id>` or `jwt:<sub>`: what the audit log records. */
  actor: string;
  role: Role;
  /** Absolute zone names the credential is limited to; undefined = all of the org's zones. */
  zones?: string[];
  /** When the credential stops working; keys it creates may not outlive it. */
  expiresAt?: Date;
}

/** Role strength: a credential never grants a role above its own. */
export const RANK: Record<Role, number> = { viewer: 1, edge: 1, editor: 2, admin: 3 };

/**
 * Tenancy and role checks live here, in the application layer, so no
 * controller can forget them. A zone outside the credential's scope is
 * reported exactly like a zone of another org: 404, no hint it exists.
 */
export function authorize(p: Principal, need: 'read' | 'write' | 'admin', zone?: string): void {
  if (zone !== undefined && p.zones && !p.zones.includes(zone)) throw Problem.notFound(`zone ${zone}`);
  const required = need === 'read' ? 1 : need === 'write' ? 2 : 3;
  if (RANK[p.role] < required)
    throw new Problem(
      403,
      'Forbidden',
      `the ${p.role} role may not ${need === 'read' ? 'read' : 'change'} this`,
    );
}
