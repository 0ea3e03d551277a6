// PGlite served over the PostgreSQL wire protocol by pglite-socket, so the
// unchanged `pg` driver, TypeORM and the same migrations serve both backends.
import { chmod, lstat, mkdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A socket directory (unix socket) or 127.0.0.1, as `pg` takes it. */
  host: string;
  port: number;
  stop(): Promise<void>;
}

// libpq's naming, so `psql -h <dataDir>` reaches it too.
const SOCKET_PORT = 5432;
const SOCKET_NAME = `.s.PGSQL.${SOCKET_PORT}`;
// sun_path holds 108 bytes on Linux (104 on BSDs), NUL included.
const MAX_SOCKET_PATH = 103;

/**
 * Starts PGlite with its data in `${dataDir}/pg` and serves it on a unix
 * socket in `dataDir`, mode 0600: the server has no authentication, so file
 * permissions are what keeps other local users out. When that path is too
 * long for a unix socket it falls back to 127.0.0.1 on a free port, which
 * any local user can reach while it runs.
 */
export async function startEmbeddedPostgres(dataDir: string, poolSize: number): Promise<EmbeddedPostgres> {
  const dir = path.resolve(dataDir);
  // PGlite creates its own directory but not the parents.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const socketPath = path.join(dir, SOCKET_NAME);
  const useUnixSocket = Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH;
  if (useUnixSocket) await removeStaleSocket(socketPath);

  const db = await PGlite.create({ dataDir: path.join(dir, 'pg') });
  // One more than the pool uses: a connection the pool has closed but the
  // server not yet released must not make its replacement bounce.
  const maxConnections = poolSize + 1;
  const server = new PGLiteSocketServer(
    useUnixSocket
      ? { db, path: socketPath, maxConnections }
      : { db, host: '127.0.0.1', port: 0, maxConnections },
  );
  try {
    await server.start();
    if (useUnixSocket) await chmod(socketPath, 0o600);
  } catch (error) {
    await server.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      try {
        await server.stop();
      } finally {
        await db.close();
        if (useUnixSocket) await rm(socketPath, { force: true });
      }
    })());

  if (useUnixSocket) return { host: dir, port: SOCKET_PORT, stop };
  const port = Number(server.getServerConn().split(':').pop());
  return { host: '127.0.0.1', port, stop };
}

/**
 * A socket file left by a crash makes listen() fail with EADDRINUSE. Remove it
 * only when nothing answers on it: a live one means another process serves
 * this data directory, and opening PGlite's files twice would corrupt them.
 */
async function removeStaleSocket(socketPath: string): Promise<void> {
  const stat = await lstat(socketPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!stat) return;
  if (!stat.isSocket()) throw new Error(`${socketPath} exists and is not a socket; refusing to replace it`);
  if (await answers(socketPath)) {
    throw new Error(
      `the embedded database in ${path.dirname(socketPath)} is already in use (its socket answers): stop that server first`,
    );
  }
  await rm(socketPath, { force: true });
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
