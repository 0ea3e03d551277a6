import 'reflect-metadata';
import { ApiKeyEntity } from './api-key.entity.js';
import { AuditEntryEntity } from './audit-entry.entity.js';
import { OrgEntity } from './org.entity.js';
import { RecordEntity } from './record.entity.js';
import { ZoneChangeEntity } from './zone-change.entity.js';
import { ZoneEntity } from './zone.entity.js';

export { ApiKeyEntity, AuditEntryEntity, OrgEntity, RecordEntity, ZoneChangeEntity, ZoneEntity };

// Indexes, checks and foreign keys live in migrations/ only: the schema is
// never synchronized from these classes.
export const ENTITIES = [
  OrgEntity,
  ApiKeyEntity,
  ZoneEntity,
  RecordEntity,
  ZoneChangeEntity,
  AuditEntryEntity,
];
