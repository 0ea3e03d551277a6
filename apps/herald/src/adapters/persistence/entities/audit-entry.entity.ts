import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

// `zone` is the zone's name, not a foreign key: the trail must outlive the zone.
@Entity({ name: 'audit_log' })
export class AuditEntryEntity {
  /** int8 as a string: only used to order entries written in the same instant. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ name: 'org_id', type: 'uuid' })
  orgId!: string;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  zone!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after!: unknown;

  @Column({ type: 'boolean', default: false })
  forced!: boolean;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
