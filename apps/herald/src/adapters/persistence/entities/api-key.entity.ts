import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../../../ports/auth-store.port.js';

@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'org_id', type: 'uuid' })
  orgId!: string;

  /** The visible part of the key; how a presented key is found. */
  @Column({ type: 'text', unique: true })
  prefix!: string;

  @Column({ type: 'text' })
  hash!: string;

  /** Constrained by a CHECK in the migration to the port's roles. */
  @Column({ type: 'text' })
  role!: Role;

  /** NULL = every zone of the org. */
  @Column({ type: 'text', array: true, nullable: true })
  zones!: string[] | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
