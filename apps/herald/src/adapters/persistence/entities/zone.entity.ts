import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintAsNumber } from '../column-transformers.js';

@Entity({ name: 'zones' })
export class ZoneEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'org_id', type: 'uuid' })
  orgId!: string;

  /**
   * Globally unique, not per org: edges serve exactly one copy of each name,
   * so two orgs cannot both own `example.com.`.
   */
  @Column({ type: 'text', unique: true })
  name!: string;

  /** SOA serial, 32-bit unsigned: int8 in the database, a number here. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  serial!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
