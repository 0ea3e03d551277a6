import { authorize, type Principal } from '../auth/principal.js';
import { Problem } from '../http/problem.js';
import { canonicalZoneName } from '../zones/zone-name.js';
import type { AuditEntry, ZoneStore } from '../ports/zone-store.port.js';

export interface AuditQuery {
  zone?: string;
  actor?: string;
  action?: string;
  limit?: number;
}

/** The org's audit log, newest first; admins only, since it shows every key's activity. */
export class AuditService {
  constructor(private readonly store: ZoneStore) {}

  async list(p: Principal, q: AuditQuery): Promise<AuditEntry[]> {
    authorize(p, 'admin');
    const limit = q.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw Problem.badRequest('invalid query parameters', [
        { field: 'limit', code: 'limit', message: 'limit: must be an integer from 1 to 1000' },
      ]);
    const entries = await this.store.audit(p.orgId, {
      limit,
      ...(q.zone ? { zone: canonicalZoneName(q.zone, 'zone') } : {}),
      ...(q.actor ? { actor: q.actor } : {}),
      ...(q.action ? { action: q.action } : {}),
    });
    // A zone-scoped admin sees only its zones' entries.
    return p.zones ? entries.filter((e) => e.zone !== undefined && p.zones!.includes(e.zone)) : entries;
  }
}
