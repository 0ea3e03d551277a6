// The persistence adapters: what the app's wiring imports.
export {
  openDatabase,
  MIGRATIONS,
  type Database,
  type DatabaseLog,
  type OpenDatabaseOptions,
} from './data-source.js';
export { TypeOrmAuthStore } from './typeorm-auth-store.js';
export { TypeOrmEdgeRegistry } from './typeorm-edge-registry.js';
export { TypeOrmZoneStore } from './typeorm-zone-store.js';
