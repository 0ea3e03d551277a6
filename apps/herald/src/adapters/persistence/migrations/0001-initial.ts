import type { MigrationInterface, QueryRunner } from 'typeorm';

// Written for PostgreSQL 15 (Debian's) and PGlite (PostgreSQL 18) alike.
// gen_random_uuid() and sha256() are built in since PostgreSQL 13 and 11, so
// no extension is created (that needs rights a managed database may refuse).
const UP = [
  `CREATE TABLE orgs (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     name text NOT NULL CONSTRAINT orgs_name_key UNIQUE,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,

  `CREATE TABLE api_keys (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
     prefix text NOT NULL CONSTRAINT api_keys_prefix_key UNIQUE,
     hash text NOT NULL,
     role text NOT NULL CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'editor', 'viewer', 'edge')),
     zones text[],
     expires_at timestamptz,
     revoked_at timestamptz,
     created_by text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX api_keys_org_idx ON api_keys (org_id, created_at)`,

  // Zone names are unique across orgs: edges serve one copy per name.
  `CREATE TABLE zones (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     org_id uuid NOT NULL REFERENCES orgs (id),
     name text NOT NULL CONSTRAINT zones_name_key UNIQUE,
     serial bigint NOT NULL CONSTRAINT zones_serial_check CHECK (serial BETWEEN 0 AND 4294967295),
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX zones_org_name_idx ON zones (org_id, name)`,

  // owner_key is byte-ordered (COLLATE "C") so pages sort the same on every
  // server whatever its default collation, and compare cheaply.
  `CREATE TABLE records (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     zone_id uuid NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
     owner text NOT NULL,
     owner_key text COLLATE "C" NOT NULL,
     type integer NOT NULL CONSTRAINT records_type_check CHECK (type BETWEEN 0 AND 65535),
     ttl integer NOT NULL CONSTRAINT records_ttl_check CHECK (ttl >= 0),
     value text NOT NULL,
     canonical bytea NOT NULL,
     metadata jsonb NOT NULL DEFAULT '{}'
   )`,
  // Keyset pages (and the owner/type filters, and the cascade from zones).
  `CREATE INDEX records_page_idx ON records (zone_id, owner_key, type, id)`,
  // Hashed: a btree entry holds at most ~2.7 kB, RDATA up to 64 KiB.
  `CREATE UNIQUE INDEX records_rdata_key ON records (zone_id, owner_key, type, sha256(canonical))`,

  `CREATE TABLE zone_changes (
     zone_id uuid NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
     serial bigint NOT NULL CONSTRAINT zone_changes_serial_check CHECK (serial BETWEEN 0 AND 4294967295),
     previous_serial bigint NOT NULL
       CONSTRAINT zone_changes_previous_serial_check CHECK (previous_serial BETWEEN 0 AND 4294967295),
     removed jsonb NOT NULL,
     added jsonb NOT NULL,
     actor text NOT NULL,
     at timestamptz NOT NULL,
     PRIMARY KEY (zone_id, serial)
   )`,

  // zone is a name, not a foreign key: the trail outlives deleted zones.
  `CREATE TABLE audit_log (
     id bigserial PRIMARY KEY,
     org_id uuid NOT NULL REFERENCES orgs (id),
     actor text NOT NULL,
     action text NOT NULL,
     zone text,
     before jsonb,
     after jsonb,
     forced boolean NOT NULL DEFAULT false,
     at timestamptz NOT NULL
   )`,
  `CREATE INDEX audit_log_org_at_idx ON audit_log (org_id, at DESC, id DESC)`,
];

const DOWN = ['audit_log', 'zone_changes', 'records', 'zones', 'api_keys', 'orgs'].map(
  (table) => `DROP TABLE IF EXISTS ${table}`,
);

export class InitialSchema1767225600000 implements MigrationInterface {
  // Explicit, so a bundler renaming the class cannot change the recorded name.
  readonly name = 'InitialSchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}
