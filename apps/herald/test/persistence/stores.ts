import {
  openDatabase,
  type Database,
  type OpenDatabaseOptions,
} from '../../src/adapters/persistence/data-source.js';
import { TypeOrmAuthStore } from '../../src/adapters/persistence/typeorm-auth-store.js';
import { TypeOrmEdgeRegistry } from '../../src/adapters/persistence/typeorm-edge-registry.js';
import { TypeOrmZoneStore } from '../../src/adapters/persistence/typeorm-zone-store.js';
import type { AuthStore } from '../../src/ports/auth-store.port.js';
import type { EdgeRegistry } from '../../src/ports/edge-registry.port.js';
import type { ZoneStore } from '../../src/ports/zone-store.port.js';

/** The stores over one database, as the app wires them. */
export interface OpenedStores {
  db: Database;
  zones: ZoneStore;
  auth: AuthStore;
  edges: EdgeRegistry;
  close(): Promise<void>;
}

/**
 * Opens the suite's database. Called again after close() it must open the
 * same database (the persistence test reopens it).
 */
export type OpenStores = () => Promise<OpenedStores>;

export async function openStores(options: OpenDatabaseOptions): Promise<OpenedStores> {
  const db = await openDatabase(options);
  return {
    db,
    zones: new TypeOrmZoneStore(db.dataSource),
    auth: new TypeOrmAuthStore(db.dataSource),
    edges: new TypeOrmEdgeRegistry(db.dataSource),
    close: () => db.close(),
  };
}
