import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredApiKey } from '../../src/ports/auth-store.port.js';
import type { OpenedStores, OpenStores } from './stores.js';

/** Registers the AuthStore contract against the database `open` gives. */
export function authStoreContract(label: string, open: OpenStores): void {
  describe(`AuthStore contract (${label})`, () => {
    let stores: OpenedStores;
    beforeAll(async () => {
      stores = await open();
    });
    afterAll(async () => {
      await stores?.close();
    });

    const unique = (stem: string) => `${stem}-${randomUUID().slice(0, 8)}`;
    const keyFor = (orgId: string, extra: Partial<StoredApiKey> = {}) => ({
      orgId,
      prefix: unique('hk'),
      hash: `hash-${randomUUID()}`,
      role: 'editor' as const,
      createdBy: 'system',
      ...extra,
    });

    it('creates orgs and finds them by id and by name', async () => {
      const name = unique('acme');
      const org = await stores.auth.createOrg(name);
      expect(org).toEqual({ id: expect.any(String), name, createdAt: expect.any(Date) });
      expect(await stores.auth.getOrg(org.id)).toEqual(org);
      expect(await stores.auth.findOrgByName(name)).toEqual(org);
      expect(await stores.auth.hasOrgs()).toBe(true);
    });

    it('answers undefined for unknown orgs, malformed ids included', async () => {
      expect(await stores.auth.getOrg(randomUUID())).toBeUndefined();
      expect(await stores.auth.getOrg('not-a-uuid')).toBeUndefined();
      expect(await stores.auth.findOrgByName(unique('nobody'))).toBeUndefined();
    });

    it('rejects a second org with the same name', async () => {
      const name = unique('twice');
      await stores.auth.createOrg(name);
      await expect(stores.auth.createOrg(name)).rejects.toThrow();
    });

    it('stores an API key with every field and finds it by prefix', async () => {
      const org = await stores.auth.createOrg(unique('keys'));
      const expiresAt = new Date('2031-02-03T04:05:06.789Z');
      const key = await stores.auth.createApiKey(
        keyFor(org.id, { role: 'edge', zones: ['a.test.', 'b.test.'], expiresAt, createdBy: 'key:1' }),
      );
      expect(key).toMatchObject({ orgId: org.id, role: 'edge', zones: ['a.test.', 'b.test.'], expiresAt });
      expect(key.id).toEqual(expect.any(String));
      expect(key.createdAt).toBeInstanceOf(Date);
      expect(key.revokedAt).toBeUndefined();
      expect(await stores.auth.findApiKeyByPrefix(key.prefix)).toEqual(key);
    });

    it('leaves optional fields absent, not null', async () => {
      const org = await stores.auth.createOrg(unique('minimal'));
      const key = await stores.auth.createApiKey(keyFor(org.id, { role: 'viewer' }));
      const found = await stores.auth.findApiKeyByPrefix(key.prefix);
      expect(found).toBeDefined();
      expect(Object.keys(found ?? {}).sort()).toEqual(
        ['createdAt', 'createdBy', 'hash', 'id', 'orgId', 'prefix', 'role'].sort(),
      );
    });

    it('answers undefined for an unknown prefix', async () => {
      expect(await stores.auth.findApiKeyByPrefix(unique('hk_none'))).toBeUndefined();
    });

    it('rejects a duplicate prefix and an unknown role', async () => {
      const org = await stores.auth.createOrg(unique('dupe'));
      const first = await stores.auth.createApiKey(keyFor(org.id));
      await expect(stores.auth.createApiKey(keyFor(org.id, { prefix: first.prefix }))).rejects.toThrow();
      await expect(
        stores.auth.createApiKey(keyFor(org.id, { role: 'root' as unknown as StoredApiKey['role'] })),
      ).rejects.toThrow();
    });

    it("lists only the org's own keys, oldest first", async () => {
      const org = await stores.auth.createOrg(unique('mine'));
      const other = await stores.auth.createOrg(unique('theirs'));
      const a = await stores.auth.createApiKey(keyFor(org.id));
      const b = await stores.auth.createApiKey(keyFor(org.id, { role: 'admin' }));
      await stores.auth.createApiKey(keyFor(other.id));
      expect((await stores.auth.listApiKeys(org.id)).map((k) => k.id)).toEqual([a.id, b.id]);
      expect(await stores.auth.listApiKeys(randomUUID())).toEqual([]);
    });

    it('revokes a key of the org once, and keeps the first revocation time', async () => {
      const org = await stores.auth.createOrg(unique('revoke'));
      const other = await stores.auth.createOrg(unique('intruder'));
      const key = await stores.auth.createApiKey(keyFor(org.id));
      const first = new Date('2030-01-01T00:00:00.000Z');

      expect(await stores.auth.revokeApiKey(other.id, key.id, first)).toBe(false);
      expect((await stores.auth.findApiKeyByPrefix(key.prefix))?.revokedAt).toBeUndefined();

      expect(await stores.auth.revokeApiKey(org.id, key.id, first)).toBe(true);
      expect(await stores.auth.revokeApiKey(org.id, key.id, new Date('2030-06-01T00:00:00.000Z'))).toBe(true);
      expect((await stores.auth.findApiKeyByPrefix(key.prefix))?.revokedAt).toEqual(first);

      expect(await stores.auth.revokeApiKey(org.id, randomUUID(), first)).toBe(false);
      expect(await stores.auth.revokeApiKey(org.id, 'nope', first)).toBe(false);
    });
  });
}
