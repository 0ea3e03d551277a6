import type { DataSource } from 'typeorm';
import type { AuditEntry } from '../../ports/zone-store.port.js';
import type { AuthStore, Org, StoredApiKey } from '../../ports/auth-store.port.js';
import { ApiKeyEntity, OrgEntity } from './entities/index.js';
import { assertOutsideChange } from './change-scope.js';
import { isUuid } from './name-keys.js';
import { insertAudit } from './audit-rows.js';
import { withTransaction } from './transaction.js';

/** AuthStore on TypeORM, the same for PostgreSQL and embedded PGlite. */
export class TypeOrmAuthStore implements AuthStore {
  constructor(private readonly dataSource: DataSource) {}

  async createOrg(name: string): Promise<Org> {
    assertOutsideChange();
    const org = await this.dataSource.manager.save(this.dataSource.manager.create(OrgEntity, { name }));
    return toOrg(org);
  }

  async getOrg(id: string): Promise<Org | undefined> {
    assertOutsideChange();
    if (!isUuid(id)) return undefined;
    const org = await this.dataSource.manager.findOneBy(OrgEntity, { id });
    return org ? toOrg(org) : undefined;
  }

  async hasOrgs(): Promise<boolean> {
    assertOutsideChange();
    return (await this.dataSource.manager.count(OrgEntity, { take: 1 })) > 0;
  }

  async findOrgByName(name: string): Promise<Org | undefined> {
    assertOutsideChange();
    const org = await this.dataSource.manager.findOneBy(OrgEntity, { name });
    return org ? toOrg(org) : undefined;
  }

  async createApiKey(key: Omit<StoredApiKey, 'id' | 'createdAt'>, audit?: AuditEntry): Promise<StoredApiKey> {
    assertOutsideChange();
    return withTransaction(this.dataSource, async (runner) => {
      const manager = runner.manager;
      const saved = toApiKey(
        await manager.save(
          manager.create(ApiKeyEntity, {
            orgId: key.orgId,
            prefix: key.prefix,
            hash: key.hash,
            role: key.role,
            zones: key.zones ?? null,
            expiresAt: key.expiresAt ?? null,
            revokedAt: key.revokedAt ?? null,
            createdBy: key.createdBy,
          }),
        ),
      );
      if (audit)
        await insertAudit(runner, [{ ...audit, after: { ...(audit.after as object), id: saved.id } }]);
      return saved;
    });
  }

  async findApiKeyByPrefix(prefix: string): Promise<StoredApiKey | undefined> {
    assertOutsideChange();
    const key = await this.dataSource.manager.findOneBy(ApiKeyEntity, { prefix });
    return key ? toApiKey(key) : undefined;
  }

  async listApiKeys(orgId: string): Promise<StoredApiKey[]> {
    assertOutsideChange();
    if (!isUuid(orgId)) return [];
    const keys = await this.dataSource.manager.find(ApiKeyEntity, {
      where: { orgId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return keys.map(toApiKey);
  }

  async revokeApiKey(orgId: string, id: string, at: Date, audit?: AuditEntry): Promise<boolean> {
    assertOutsideChange();
    if (!isUuid(orgId) || !isUuid(id)) return false;
    return withTransaction(this.dataSource, async (runner) => {
      // A second revocation keeps the first time: that is when the key stopped working.
      const result = await runner.manager
        .createQueryBuilder()
        .update(ApiKeyEntity)
        .set({ revokedAt: () => 'COALESCE(revoked_at, :at)' })
        .setParameter('at', at)
        .where('id = :id AND org_id = :orgId', { id, orgId })
        .execute();
      const revoked = (result.affected ?? 0) > 0;
      if (revoked && audit) await insertAudit(runner, [audit]);
      return revoked;
    });
  }
}

function toOrg(org: OrgEntity): Org {
  return { id: org.id, name: org.name, createdAt: org.createdAt };
}

function toApiKey(key: ApiKeyEntity): StoredApiKey {
  return {
    id: key.id,
    orgId: key.orgId,
    prefix: key.prefix,
    hash: key.hash,
    role: key.role,
    ...(key.zones === null ? {} : { zones: key.zones }),
    ...(key.expiresAt === null ? {} : { expiresAt: key.expiresAt }),
    ...(key.revokedAt === null ? {} : { revokedAt: key.revokedAt }),
    createdBy: key.createdBy,
    createdAt: key.createdAt,
  };
}
