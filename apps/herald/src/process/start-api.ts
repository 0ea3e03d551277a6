// `herald api` (and the control-plane half of `herald all`): opens the
// database, change feed and job queue chosen by the configuration (runtime.ts;
// it runs the jobs itself without REDIS_URL or as the all-in-one), bootstraps the first
// org and admin key, serves the HTTP API, and shuts down cleanly on SIGINT or
// SIGTERM. Nothing printed here contains a URL, password or key other than the
// admin token, which is printed once, on first start, by design (CONTRACT.md).
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { ObservableChangeFeed } from '../adapters/change-feed/create-change-feed.js';
import type { Database, TypeOrmAuthStore } from '../adapters/persistence/index.js';
import { createApi } from '../api.js';
import { createOrgWithAdminKey } from '../auth/bootstrap.js';
import { hashSecret, mintApiKey, parseApiKey, verifySecret } from '../auth/api-key-secret.js';
import type { JobQueue } from '../ports/job-queue.port.js';
import { ConfigError, type HeraldConfig, type ListenAddress } from './config.js';
import { registerJobHandlers } from './job-handlers.js';
import { jobDependencies, onShutdownSignals, openRuntime, type JobRegistrar } from './runtime.js';
import { DEFAULT_OPERATOR_ORG } from '../auth/api-keys.service.js';

/** Name of the org created on first start. */
export const DEFAULT_ORG = DEFAULT_OPERATOR_ORG;
/** File in the data directory that receives the first admin token (mode 0600). */
export const ADMIN_KEY_FILE = 'admin-key';

// Any fixed number, different from the migration lock's: api processes
// starting together on one PostgreSQL bootstrap one at a time.
const BOOTSTRAP_LOCK_KEY = 0x4845_5242;

export interface Output {
  write(text: string): unknown;
}

export interface StartApiOptions {
  /** Progress and the first-start token; default process.stdout. */
  stdout?: Output;
  /** Warnings; default process.stderr. */
  stderr?: Output;
  /** Close on SIGINT/SIGTERM, then exit 0 (1 when closing fails). Default true. */
  handleSignals?: boolean;
  /** How to end the process after a signal; default process.exit. */
  exit?: (code: number) => void;
  /**
   * All-in-one: make sure an `edge` key for the in-process edge exists (kept
   * in `${dataDir}/edge-key`, mode 0600) and return it as `edgeToken`.
   */
  edgeKey?: boolean;
  /**
   * Run jobs in this process (start the job queue). Default: only when there
   * is no REDIS_URL (the in-process queue has no other runner); the CLI sets
   * it for `herald all`.
   */
  runJobs?: boolean;
  /** Registers the job handlers before the queue starts; default registerJobHandlers (job-handlers.ts). */
  registerJobs?: JobRegistrar;
}

export interface ApiHandle {
  /** Base URL of the API, with the port actually bound. */
  url: string;
  address: ListenAddress;
  /** True when this start created the first org and admin key. */
  firstStart: boolean;
  /** Closes the server, then the job queue (waiting for its active job), the change feed, the database. Idempotent. */
  close(): Promise<void>;
  /** Settles when close() has finished. */
  closed: Promise<void>;
  /** The all-in-one edge's token (with `edgeKey`). */
  edgeToken?: string;
  /** The change feed, for an edge in this process (in-process feed of the all-in-one). */
  changeFeed: Pick<ObservableChangeFeed, 'subscribe'>;
  /** The job queue: BullMQ with REDIS_URL, else in-process; started when this process runs jobs (`runJobs`). */
  jobQueue: JobQueue;
}

export async function startApi(config: HeraldConfig, options: StartApiOptions = {}): Promise<ApiHandle> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const say = (line: string) => stdout.write(`herald api: ${line}\n`);
  const warn = (line: string) => stderr.write(`herald api: ${line}\n`);

  const runtime = await openRuntime(config, say, warn);
  let app: INestApplication | undefined;
  try {
    const { authStore, jobQueue } = runtime;
    const firstStart = await bootstrap(runtime.db, authStore, config, stdout, warn);
    const edgeToken = options.edgeKey ? await ensureEdgeKey(authStore, config) : undefined;

    // Handlers are registered in every process that has the queue; only a
    // process that starts it runs them.
    await (options.registerJobs ?? registerJobHandlers)(jobQueue, jobDependencies(runtime));
    const runJobs = options.runJobs ?? !config.redisUrl;

    app = await createApi({
      zoneStore: runtime.zoneStore,
      authStore,
      edgeRegistry: runtime.edgeRegistry,
      changeFeed: runtime.changeFeed,
      jobQueue,
      secretBox: runtime.secretBox,
      zoneDefaults: config.zoneDefaults,
      rateLimitPerMinute: config.rateLimitPerMinute,
      clock: runtime.clock,
      ...(config.jwt ? { jwt: config.jwt } : {}),
    });
    const address = await listen(app, config.apiListen);
    const url = `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
    say(`listening on ${url} (Swagger UI: ${url}/docs)`);
    if (runJobs) {
      await jobQueue.start();
      say(config.redisUrl ? 'running jobs in this process too' : 'running jobs in this process');
    }

    const server = app;
    let closing: Promise<void> | undefined;
    let resolveClosed!: () => void;
    const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
    const close = () =>
      (closing ??= (async () => {
        removeSignalHandlers();
        try {
          await server.close();
        } finally {
          try {
            // The job queue (waits for its active job), the change feed, the database.
            await runtime.close();
          } finally {
            resolveClosed();
          }
        }
      })());

    const exit = options.exit ?? ((code: number) => process.exit(code));
    const handleSignals = options.handleSignals ?? true;
    const removeSignalHandlers = handleSignals ? onShutdownSignals(close, say, warn, exit) : () => {};
    return {
      url,
      address,
      firstStart,
      close,
      closed,
      changeFeed: runtime.changeFeed,
      jobQueue,
      ...(edgeToken ? { edgeToken } : {}),
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await runtime.close().catch(() => undefined);
    throw error;
  }
}

/**
 * First start (no org at all): creates org `default` and an admin API key,
 * prints the token once and saves it to `${dataDir}/admin-key` (0600).
 * Returns whether it did. On PostgreSQL an advisory lock keeps two api
 * processes starting together from both doing it.
 */
async function bootstrap(
  db: Database,
  authStore: TypeOrmAuthStore,
  config: HeraldConfig,
  stdout: Output,
  warn: (l: string) => void,
): Promise<boolean> {
  const created = await withBootstrapLock(db, async () => {
    if (await authStore.hasOrgs()) return undefined;
    return createOrgWithAdminKey(authStore, DEFAULT_ORG);
  });
  if (!created) return false;

  const file = path.join(config.dataDir, ADMIN_KEY_FILE);
  let saved = true;
  try {
    await writePrivateFile(file, created.token + '\n');
  } catch (error) {
    saved = false;
    warn(`could not save the admin API key to ${file} (${describe(error)}); copy it from the lines below`);
  }
  stdout.write(
    [
      `herald api: first start: created org "${DEFAULT_ORG}" and its admin API key. It is shown only this once:`,
      '',
      `    ${created.token}`,
      '',
      ...(saved
        ? [
            `herald api: the key is saved in ${file} (mode 0600); the herald CLI uses it when HERALD_TOKEN is unset.`,
          ]
        : []),
      '',
    ].join('\n'),
  );
  return true;
}

/** File in the data directory holding the all-in-one edge's key (mode 0600). */
export const EDGE_KEY_FILE = 'edge-key';

/**
 * The all-in-one's edge key: reused while it is still valid (not revoked, not
 * expired, stored hash matches), otherwise minted again (role `edge`, operator
 * org, audited like any key) and written to the data directory.
 */
async function ensureEdgeKey(authStore: TypeOrmAuthStore, config: HeraldConfig): Promise<string> {
  const file = path.join(config.dataDir, EDGE_KEY_FILE);
  const saved = (await readFile(file, 'utf8').catch(() => '')).trim();
  const parsed = parseApiKey(saved);
  if (parsed) {
    const key = await authStore.findApiKeyByPrefix(parsed.prefix);
    if (
      key &&
      key.role === 'edge' &&
      !key.revokedAt &&
      (!key.expiresAt || key.expiresAt > new Date()) &&
      verifySecret(parsed.secret, key.hash)
    )
      return saved;
  }
  const org = await authStore.findOrgByName(DEFAULT_ORG);
  if (!org) throw new Error(`the operator org ${DEFAULT_ORG} does not exist`);
  // Keys this function minted before (file lost or replaced) stop working: one all-in-one edge key at a time.
  const now = new Date();
  for (const old of await authStore.listApiKeys(org.id))
    if (old.role === 'edge' && old.createdBy === 'system' && !old.revokedAt)
      await authStore.revokeApiKey(org.id, old.id, now, {
        orgId: org.id,
        actor: 'system',
        action: 'apikey.revoke',
        before: { prefix: old.prefix, role: 'edge' },
        at: now,
      });
  const minted = mintApiKey();
  await authStore.createApiKey(
    {
      orgId: org.id,
      prefix: minted.prefix,
      hash: hashSecret(minted.secret),
      role: 'edge',
      createdBy: 'system',
    },
    {
      orgId: org.id,
      actor: 'system',
      action: 'apikey.create',
      after: { prefix: minted.prefix, role: 'edge' },
      at: new Date(),
    },
  );
  await writePrivateFile(file, minted.token + '\n');
  return minted.token;
}

async function withBootstrapLock<T>(db: Database, run: () => Promise<T>): Promise<T> {
  // The embedded database serves one process (and holds one connection).
  if (db.kind !== 'postgres') return run();
  const runner = db.dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [BOOTSTRAP_LOCK_KEY]);
    try {
      return await run();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [BOOTSTRAP_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** Written whole or not at all (temporary file, then rename), readable by its owner only. */
async function writePrivateFile(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content, { mode: 0o600, flag: 'wx' });
    await chmod(temp, 0o600);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function listen(app: INestApplication, at: ListenAddress): Promise<ListenAddress> {
  try {
    await app.listen(at.port, at.host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${at.host.includes(':') ? `[${at.host}]` : at.host}:${at.port}`;
    const why =
      code === 'EADDRINUSE'
        ? 'is already in use (is another herald running?)'
        : code === 'EACCES'
          ? 'needs privileges this process lacks'
          : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'is not an address of this machine'
            : `cannot be listened on (${describe(error)})`;
    throw new ConfigError(
      'HERALD_API_LISTEN',
      `HERALD_API_LISTEN: ${where} ${why}; set HERALD_API_LISTEN to another host:port`,
    );
  }
  const bound = app.getHttpServer().address() as { address: string; port: number } | string | null;
  return typeof bound === 'object' && bound ? { host: at.host, port: bound.port } : at;
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e?.code ? `${e.code}${e.message ? `: ${e.message}` : ''}` : String(e?.message ?? error);
}
