// What `herald api` and `herald worker` both open from the configuration: the
// master key (secret box), the database and its stores, the change feed and
// the job queue, closed in reverse order. Also the SIGINT/SIGTERM handling
// both processes share.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createChangeFeed, type ObservableChangeFeed } from '../adapters/change-feed/create-change-feed.js';
import { AesGcmSecretBox, generateMasterKey, parseMasterKey } from '../adapters/keys/aes-gcm-secret-box.js';
import {
  openDatabase,
  TypeOrmAuthStore,
  TypeOrmEdgeRegistry,
  TypeOrmZoneStore,
  type Database,
} from '../adapters/persistence/index.js';
import { createJobQueue } from '../adapters/queue/create-job-queue.js';
import type { ChangeFeed } from '../ports/change-feed.port.js';
import type { EdgeRegistry } from '../ports/edge-registry.port.js';
import type { JobQueue } from '../ports/job-queue.port.js';
import type { SecretBox } from '../ports/secret-box.port.js';
import type { ZoneStore } from '../ports/zone-store.port.js';
import type { ZoneDefaults } from '../zones/zones.service.js';
import { ConfigError, type HeraldConfig } from './config.js';

/** After a signal, how long a clean shutdown may take before the process gives up. */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

/** What job handlers may use: the same adapters the API process is built from. */
export interface JobDependencies {
  zoneStore: ZoneStore;
  authStore: TypeOrmAuthStore;
  edgeRegistry: EdgeRegistry;
  secretBox: SecretBox;
  changeFeed: ChangeFeed;
  clock: () => Date;
  zoneDefaults: ZoneDefaults;
}

/**
 * Registers job handlers (`queue.handle(...)`) and schedulers on a queue,
 * before the process calls start(). Runs in every process that builds a
 * queue: the api process (which runs the jobs itself without Redis, or in the
 * all-in-one) and `herald worker`.
 */
export type JobRegistrar = (queue: JobQueue, deps: JobDependencies) => void | Promise<void>;

export interface Runtime extends JobDependencies {
  db: Database;
  changeFeed: ObservableChangeFeed;
  jobQueue: JobQueue;
  /** Closes the job queue (waiting for its active job), then the change feed, then the database. Idempotent. */
  close(): Promise<void>;
}

type Log = (line: string) => void;

export async function openRuntime(config: HeraldConfig, say: Log, warn: Log): Promise<Runtime> {
  const secretBox = await loadMasterKey(config, say, warn);

  say(
    config.databaseUrl
      ? 'database: PostgreSQL (DATABASE_URL)'
      : `database: embedded PostgreSQL (PGlite) in ${path.join(config.dataDir, 'pg')}`,
  );
  const db = await openDatabase({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
    log: (level, message) => {
      // TypeORM narrates every start ("0 migrations are already loaded..."): keep what changed the schema.
      if (level !== 'info') warn(`database: ${message}`);
      else if (/^Migration .* has been executed/.test(message)) say(`database: ${message}`);
    },
  });
  let feed: ObservableChangeFeed | undefined;
  let jobQueue: JobQueue | undefined;
  try {
    feed = createChangeFeed({
      ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
      logger: { warn: (message) => warn(`change feed: ${message}`) },
    });
    say(config.redisUrl ? 'change feed: Redis (REDIS_URL)' : 'change feed: in-process (this process only)');
    jobQueue = createJobQueue({
      ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
      ...(config.queuePrefix ? { prefix: config.queuePrefix } : {}),
      logger: { warn: (message) => warn(`job queue: ${message}`) },
    });
    say(config.redisUrl ? 'job queue: BullMQ (REDIS_URL)' : 'job queue: in-process (this process only)');
  } catch (error) {
    await feed?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }

  const changeFeed = feed;
  const queue = jobQueue;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      try {
        await queue.close();
      } finally {
        try {
          await changeFeed.close();
        } finally {
          await db.close();
        }
      }
    })());

  return {
    db,
    zoneStore: new TypeOrmZoneStore(db.dataSource),
    authStore: new TypeOrmAuthStore(db.dataSource),
    edgeRegistry: new TypeOrmEdgeRegistry(db.dataSource),
    secretBox,
    changeFeed,
    jobQueue: queue,
    clock: () => new Date(),
    zoneDefaults: config.zoneDefaults,
    close,
  };
}

/** The handler dependencies of a runtime (without its database handle and queue). */
export function jobDependencies(runtime: Runtime): JobDependencies {
  const { zoneStore, authStore, edgeRegistry, secretBox, changeFeed, clock, zoneDefaults } = runtime;
  return { zoneStore, authStore, edgeRegistry, secretBox, changeFeed, clock, zoneDefaults };
}

/**
 * On SIGINT/SIGTERM: `close()`, then `exit(0)` (1 when closing fails or takes
 * longer than SHUTDOWN_TIMEOUT_MS). Returns the function that removes the
 * handlers again (close() calls it first, so a second Ctrl-C during shutdown
 * ends the process the default way).
 */
export function onShutdownSignals(
  close: () => Promise<void>,
  say: Log,
  warn: Log,
  exit: (code: number) => void,
): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: shutting down`);
    const timer = setTimeout(() => {
      warn(`shutdown took longer than ${SHUTDOWN_TIMEOUT_MS / 1000} s; exiting anyway`);
      exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    close().then(
      () => {
        clearTimeout(timer);
        say('stopped');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        warn(`shutdown failed: ${describe(error)}`);
        exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * HERALD_MASTER_KEY, or (all-in-one, no DATABASE_URL) the key in
 * `${dataDir}/master-key`, generated with mode 0600 on first start. Checking
 * it at start means a bad key is found then, not when the first key is sealed.
 */
async function loadMasterKey(config: HeraldConfig, say: Log, warn: Log): Promise<AesGcmSecretBox> {
  const source = config.masterKey;
  if (source.kind === 'env') return new AesGcmSecretBox(source.key);
  const file = source.file;
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw fileError('cannot read the master key', file, error);
  }
  if (text === undefined) {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      await writeFile(file, generateMasterKey() + '\n', { mode: 0o600, flag: 'wx' });
      say(
        `generated a master key in ${file} (mode 0600); back it up with the data directory: it decrypts the stored private keys`,
      );
    } catch (error) {
      // EEXIST: another process created it meanwhile; use that one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw fileError('cannot create the master key', file, error);
    }
    text = await readFile(file, 'utf8');
  } else {
    const mode = (await stat(file)).mode & 0o777;
    if (mode & 0o077)
      warn(`${file} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${file}`);
  }
  try {
    return new AesGcmSecretBox(parseMasterKey(text, `the master key in ${file}`));
  } catch (error) {
    throw new ConfigError('HERALD_MASTER_KEY', (error as Error).message);
  }
}

function fileError(what: string, file: string, error: unknown): Error {
  return new Error(`${what} in ${file}: ${describe(error)}`);
}

export function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e?.code ? `${e.code}${e.message ? `: ${e.message}` : ''}` : String(e?.message ?? error);
}
