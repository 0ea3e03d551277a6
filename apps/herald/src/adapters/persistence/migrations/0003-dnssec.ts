import type { MigrationInterface, QueryRunner } from 'typeorm';

// DNSSEC per zone: policy, keys (private halves sealed under
// HERALD_MASTER_KEY, see dnssec/key-store.ts) and the rollover timeline, as
// one JSON document written inside the zone's locked transaction, so keys and
// the signatures made with them always change together.
const UP = [
  `CREATE TABLE zone_dnssec (
     zone_id uuid PRIMARY KEY REFERENCES zones (id) ON DELETE CASCADE,
     -- signed | unsigning | unsigned: what the maintenance job looks at.
     signing text NOT NULL CONSTRAINT zone_dnssec_signing_check CHECK (signing IN ('signed', 'unsigning', 'unsigned')),
     state jsonb NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX zone_dnssec_signing_idx ON zone_dnssec (signing) WHERE signing <> 'unsigned'`,
];

const DOWN = ['DROP TABLE IF EXISTS zone_dnssec'];

export class Dnssec1795737600000 implements MigrationInterface {
  readonly name = 'Dnssec1795737600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}
