import 'reflect-metadata';
import { DataSource, MigrationExecutor } from 'typeorm';
import { DatabaseLogger, type DatabaseLog } from './database-logger.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { ENTITIES } from './entities/index.js';
import { InitialSchema1767225600000 } from './migrations/0001-initial.js';
import { EdgeRegistry1795478400000 } from './migrations/0002-edges.js';
import { Dnssec1795737600000 } from './migrations/0003-dnssec.js';

export type { DatabaseLog } from './database-logger.js';

export const MIGRATIONS = [InitialSchema1767225600000, EdgeRegistry1795478400000, Dnssec1795737600000];

export interface OpenDatabaseOptions {
  /** PostgreSQL to connect to; unset = embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** Holds the embedded database (`${dataDir}/pg`) and its socket. */
  dataDir: string;
  log?: DatabaseLog;
}

export interface Database {
  dataSource: DataSource;
  kind: 'postgres' | 'pglite';
  /** Ends the pool, then the embedded server and PGlite. Safe to call twice. */
  close(): Promise<void>;
}

const POSTGRES_POOL_SIZE = 10;
// See embeddedConnection().
const EMBEDDED_POOL_SIZE = 1;
// Any fixed number: holders of the same key run migrations one at a time.
const MIGRATION_LOCK_KEY = 0x4845_5241;

/**
 * Connects TypeORM to PostgreSQL (with a URL) or to an embedded PGlite served
 * over a socket, and brings the schema up to date before returning.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const embedded = options.databaseUrl
    ? undefined
    : await startEmbeddedPostgres(options.dataDir, EMBEDDED_POOL_SIZE);
  const dataSource = new DataSource({
    type: 'postgres',
    ...(embedded ? embeddedConnection(embedded) : { url: options.databaseUrl, poolSize: POSTGRES_POOL_SIZE }),
    applicationName: 'herald',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    // Run below, under a lock, instead of by `migrationsRun`.
    migrationsRun: false,
    synchronize: false,
    // gen_random_uuid() is built in; the migrations create no extension.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logger: new DatabaseLogger(options.log ?? (() => undefined)),
    maxQueryExecutionTime: 2_000,
  });

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      try {
        if (dataSource.isInitialized) await dataSource.destroy();
      } finally {
        await embedded?.stop();
      }
    })());

  try {
    await dataSource.initialize();
    await migrate(dataSource);
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { dataSource, kind: embedded ? 'pglite' : 'postgres', close };
}

/**
 * pglite-socket runs one query at a time on PGlite's single session and pins
 * that session to a connection only inside an explicit transaction. Between
 * the messages of one extended-protocol query (Parse, Bind, Execute, Sync) a
 * second connection's query can slip in and replace the unnamed prepared
 * statement (electric-sql/pglite#1046; reproduced with pglite-socket 0.2.17
 * and pg 8.23). So the pool holds ONE connection: nothing is lost, as PGlite
 * executes one statement at a time anyway, and transactions simply queue for
 * the connection.
 */
function embeddedConnection(embedded: EmbeddedPostgres) {
  return {
    host: embedded.host,
    port: embedded.port,
    username: 'postgres',
    database: 'postgres',
    poolSize: EMBEDDED_POOL_SIZE,
    // A connection closed for idleness and reopened gains nothing here.
    extra: { idleTimeoutMillis: 0 },
  };
}

/**
 * Runs pending migrations in one transaction, holding a session advisory lock
 * so that processes starting together (api and worker on one PostgreSQL) do
 * not both try to apply them. TypeORM's migrations table makes this a no-op
 * once applied.
 */
async function migrate(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'all';
      await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
