import { Problem } from '../http/problem.js';
import type { AuthStore, Role, StoredApiKey } from '../ports/auth-store.port.js';
import { hashSecret, mintApiKey, parseApiKey, verifySecret } from './api-key-secret.js';
import { canonicalZoneName } from '../zones/zone-name.js';
import { RANK, authorize, type Principal } from './principal.js';

/** The org the all-in-one creates at first start; it runs the platform. */
export const DEFAULT_OPERATOR_ORG = 'default';

const ROLES: readonly Role[] = ['admin', 'editor', 'viewer', 'edge'];

export interface CreateKeyInput {
  role: string;
  zones?: string[];
  expiresAt?: string;
}

/** What an API key listing shows: never the secret, never its hash. */
export interface ApiKeyView {
  id: string;
  prefix: string;
  role: Role;
  zones?: string[];
  expiresAt?: string;
  revokedAt?: string;
  createdBy: string;
  createdAt: string;
}

export function viewKey(k: StoredApiKey): ApiKeyView {
  return {
    id: k.id,
    prefix: k.prefix,
    role: k.role,
    ...(k.zones ? { zones: k.zones } : {}),
    ...(k.expiresAt ? { expiresAt: k.expiresAt.toISOString() } : {}),
    ...(k.revokedAt ? { revokedAt: k.revokedAt.toISOString() } : {}),
    createdBy: k.createdBy,
    createdAt: k.createdAt.toISOString(),
  };
}

/** A key the principal may see and revoke: any key of the org, or for a zone-scoped principal, keys scoped inside its zones. */
function within(p: Principal, key: StoredApiKey): boolean {
  if (!p.zones) return true;
  return !!key.zones && key.zones.every((z) => p.zones!.includes(z));
}

const UNAUTHORIZED = () =>
  new Problem(401, 'Unauthorized', 'a valid API key or token is required', [], {
    'WWW-Authenticate': 'Bearer',
  });

export class ApiKeysService {
  constructor(
    private readonly store: AuthStore,
    private readonly clock: () => Date,
    /** The platform operator's org (created at first start): only its admins mint `edge` keys, which read every org's zones. */
    private readonly operatorOrg = DEFAULT_OPERATOR_ORG,
  ) {}

  /** Resolves a bearer API key to its principal; every failure is the same 401, so keys cannot be probed. */
  async authenticate(token: string): Promise<Principal> {
    const parsed = parseApiKey(token);
    if (!parsed) throw UNAUTHORIZED();
    const key = await this.store.findApiKeyByPrefix(parsed.prefix);
    if (!key || !verifySecret(parsed.secret, key.hash)) throw UNAUTHORIZED();
    const now = this.clock();
    if (key.revokedAt || (key.expiresAt && key.expiresAt <= now)) throw UNAUTHORIZED();
    return {
      orgId: key.orgId,
      actor: `key:${key.id}`,
      role: key.role,
      ...(key.zones ? { zones: key.zones } : {}),
      ...(key.expiresAt ? { expiresAt: key.expiresAt } : {}),
    };
  }

  /**
   * Mints a key. It can never grant more than its creator holds: a role at
   * most the creator's, zones within the creator's, expiry no later than the
   * creator's key. The token is returned once and only its hash is stored.
   */
  async create(p: Principal, input: CreateKeyInput): Promise<{ token: string; key: ApiKeyView }> {
    const creatorExpiry = p.expiresAt;
    authorize(p, 'admin');
    const errors = [];
    const role = input.role as Role;
    // Scopes are compared and stored in the one canonical form zone names have everywhere.
    let zones: string[] | undefined;
    try {
      zones = input.zones?.map((z, i) => canonicalZoneName(z, `zones[${i}]`));
    } catch (e) {
      if (e instanceof Problem) errors.push(...e.errors);
      else throw e;
    }
    if (!ROLES.includes(role))
      errors.push({ field: 'role', code: 'role', message: `role: must be one of ${ROLES.join(', ')}` });
    else if (RANK[role] > RANK[p.role] || (role === 'edge' && p.role !== 'admin'))
      errors.push({ field: 'role', code: 'escalation', message: `role: a ${p.role} cannot grant ${role}` });
    else if (role === 'edge' && (await this.store.getOrg(p.orgId))?.name !== this.operatorOrg)
      errors.push({
        field: 'role',
        code: 'escalation',
        message: `role: edge keys read every org's zones; only admins of the operator org (${this.operatorOrg}) can create them`,
      });
    if (zones && p.zones && zones.some((z) => !p.zones!.includes(z)))
      errors.push({
        field: 'zones',
        code: 'escalation',
        message: 'zones: a key may only be limited to zones its creator can reach',
      });
    if (!input.zones && p.zones)
      errors.push({
        field: 'zones',
        code: 'escalation',
        message: 'zones: a zone-scoped creator must scope the keys it creates',
      });
    let expiresAt: Date | undefined;
    if (input.expiresAt !== undefined) {
      expiresAt = new Date(input.expiresAt);
      if (Number.isNaN(expiresAt.getTime()) || expiresAt <= this.clock())
        errors.push({
          field: 'expiresAt',
          code: 'expiry',
          message: 'expiresAt: must be an ISO 8601 time in the future',
        });
    }
    if (creatorExpiry && (!expiresAt || expiresAt > creatorExpiry))
      errors.push({
        field: 'expiresAt',
        code: 'escalation',
        message: 'expiresAt: cannot outlive the creating key',
      });
    if (errors.length) throw Problem.invalid('invalid API key request', errors);
    const minted = mintApiKey();
    const key = await this.store.createApiKey(
      {
        orgId: p.orgId,
        prefix: minted.prefix,
        hash: hashSecret(minted.secret),
        role,
        ...(zones ? { zones } : {}),
        ...(expiresAt ? { expiresAt } : {}),
        createdBy: p.actor,
      },
      {
        orgId: p.orgId,
        actor: p.actor,
        action: 'apikey.create',
        after: {
          prefix: minted.prefix,
          role,
          ...(zones ? { zones } : {}),
          ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
        },
        at: this.clock(),
      },
    );
    return { token: minted.token, key: viewKey(key) };
  }

  /** Platform staff: edge keys, and credentials of the operator org. They may read platform-wide data such as metrics. */
  async isOperator(p: Principal): Promise<boolean> {
    return p.role === 'edge' || (await this.store.getOrg(p.orgId))?.name === this.operatorOrg;
  }

  async list(p: Principal): Promise<ApiKeyView[]> {
    authorize(p, 'admin');
    return (await this.store.listApiKeys(p.orgId)).filter((k) => within(p, k)).map(viewKey);
  }

  async revoke(p: Principal, id: string): Promise<void> {
    authorize(p, 'admin');
    // A zone-scoped admin manages only keys inside its own scope; others look absent.
    const key = (await this.store.listApiKeys(p.orgId)).find((k) => k.id === id);
    if (!key || !within(p, key)) throw Problem.notFound(`API key ${id}`);
    const at = this.clock();
    const audit = { orgId: p.orgId, actor: p.actor, action: 'apikey.revoke', before: { id }, at };
    if (!(await this.store.revokeApiKey(p.orgId, id, at, audit))) throw Problem.notFound(`API key ${id}`);
  }
}
