import type { AuthStore, Org } from '../ports/auth-store.port.js';
import { hashSecret, mintApiKey } from './api-key-secret.js';

/**
 * First start: an org and an admin API key to begin with. The token is
 * returned once (the caller shows it and, in the all-in-one, writes it to a
 * 0600 file); only its hash is stored.
 */
export async function createOrgWithAdminKey(
  store: AuthStore,
  orgName: string,
): Promise<{ org: Org; token: string; keyId: string }> {
  const org = (await store.findOrgByName(orgName)) ?? (await store.createOrg(orgName));
  const minted = mintApiKey();
  const key = await store.createApiKey(
    {
      orgId: org.id,
      prefix: minted.prefix,
      hash: hashSecret(minted.secret),
      role: 'admin',
      createdBy: 'system',
    },
    {
      orgId: org.id,
      actor: 'system',
      action: 'apikey.create',
      after: { prefix: minted.prefix, role: 'admin' },
      at: new Date(),
    },
  );
  return { org, token: minted.token, keyId: key.id };
}
