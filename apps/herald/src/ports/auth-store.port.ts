import type { AuditEntry } from './zone-store.port.js';

// Orgs and API keys. Keys are stored as a visible prefix (to find and show
// them) and a hash of the secret part; the secret itself is never stored.

export type Role = 'admin' | 'editor' | 'viewer' | 'edge';

export interface Org {
  id: string;
  name: string;
  createdAt: Date;
}

export interface StoredApiKey {
  id: string;
  orgId: string;
  /** Public, unique identifier shown in listings, e.g. `hk_3f9a2c1d`. */
  prefix: string;
  /** Hash of the secret part (see the key hashing in auth/). */
  hash: string;
  role: Role;
  /** Absolute zone names this key is limited to; undefined = every zone of the org. */
  zones?: string[];
  expiresAt?: Date;
  revokedAt?: Date;
  /** Actor that created it (`key:<id>`, `jwt:<sub>` or `system`). */
  createdBy: string;
  createdAt: Date;
}

export interface AuthStore {
  createOrg(name: string): Promise<Org>;
  getOrg(id: string): Promise<Org | undefined>;
  findOrgByName(name: string): Promise<Org | undefined>;
  /** True once any org exists (a first start creates the first one). */
  hasOrgs(): Promise<boolean>;
  /** Creates a key; `audit` (when given) is written in the same transaction, with the key's id in `after`. */
  createApiKey(key: Omit<StoredApiKey, 'id' | 'createdAt'>, audit?: AuditEntry): Promise<StoredApiKey>;
  findApiKeyByPrefix(prefix: string): Promise<StoredApiKey | undefined>;
  listApiKeys(orgId: string): Promise<StoredApiKey[]>;
  /** false when no such key in this org; `audit` is written in the same transaction when the key was revoked. */
  revokeApiKey(orgId: string, id: string, at: Date, audit?: AuditEntry): Promise<boolean>;
}
