import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { byteaAsBytes } from '../column-transformers.js';

// Uniqueness of (zone, owner, type, RDATA) is a unique index on
// sha256(canonical), not on canonical itself: btree entries cannot hold RDATA
// of up to 64 KiB.
@Entity({ name: 'records' })
export class RecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'zone_id', type: 'uuid' })
  zoneId!: string;

  /** As written, case kept. */
  @Column({ type: 'text' })
  owner!: string;

  /** ASCII-lowercased owner, byte-ordered (COLLATE "C") for filters and keyset pages. */
  @Column({ name: 'owner_key', type: 'text', collation: 'C' })
  ownerKey!: string;

  @Column({ type: 'integer' })
  type!: number;

  @Column({ type: 'integer' })
  ttl!: number;

  @Column({ type: 'text' })
  value!: string;

  @Column({ type: 'bytea', transformer: byteaAsBytes })
  canonical!: Uint8Array;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  metadata!: Record<string, unknown>;
}
