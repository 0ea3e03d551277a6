import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../column-transformers.js';

/** One committed change set; the change log is these rows in serial order. */
@Entity({ name: 'zone_changes' })
export class ZoneChangeEntity {
  @PrimaryColumn({ name: 'zone_id', type: 'uuid' })
  zoneId!: string;

  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber })
  serial!: number;

  @Column({ name: 'previous_serial', type: 'bigint', transformer: bigintAsNumber })
  previousSerial!: number;

  /** Master-file lines, names absolute. */
  @Column({ type: 'jsonb' })
  removed!: string[];

  @Column({ type: 'jsonb' })
  added!: string[];

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
