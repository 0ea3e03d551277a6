// herald api | all | worker | edge: the long-running processes (CONTRACT.md).
import { Command } from 'commander';
import { CliError, EXIT_OK, EXIT_USAGE } from '../errors.js';
import { absoluteZone, collect, type Context } from '../context.js';
import type { EdgeHandle } from '@herald/edge';

/** Set by the process commands: what run() returns once the server has stopped. */
export interface ServeResult {
  exitCode: number;
}

export function processCommands(ctx: Context, result: ServeResult): Command[] {
  const api = new Command('api')
    .description(
      'run the control plane: REST API on HERALD_API_LISTEN (PostgreSQL with DATABASE_URL, else embedded)',
    )
    .action(async () => {
      result.exitCode = await serve(ctx, 'api');
    });

  const all = new Command('all')
    .description(
      'run the all-in-one local stack (what `pnpm start` runs): control plane with embedded database',
    )
    .action(async () => {
      result.exitCode = await serve(ctx, 'all');
    });

  const worker = new Command('worker')
    .description(
      'run background jobs from the Redis queue (REDIS_URL and DATABASE_URL required; `herald all` and an api without REDIS_URL run their jobs themselves)',
    )
    .action(async () => {
      result.exitCode = await serveWorker(ctx);
    });

  const edge = new Command('edge')
    .description(
      'run an edge DNS server on EDGE_DNS_LISTEN: serves its local copy at once, then syncs from HERALD_URL with HERALD_TOKEN (an edge key)',
    )
    .option(
      '--zone <origin=file>',
      'serve this zone file instead of syncing from herald (static mode; repeatable)',
      collect,
    )
    .action(async (opts: { zone?: string[] }) => {
      result.exitCode = await serveEdge(ctx, opts.zone ?? []);
    });

  return [api, all, worker, edge];
}

/** `origin=file` pairs of static mode. */
function staticZones(specs: string[]): { origin: string; file: string }[] {
  return specs.map((spec) => {
    const at = spec.indexOf('=');
    if (at <= 0 || at === spec.length - 1)
      throw new CliError(
        `--zone ${spec}: expected <origin>=<zone file>, e.g. example.com=./example.com.zone`,
        EXIT_USAGE,
      );
    return { origin: absoluteZone(spec.slice(0, at)), file: spec.slice(at + 1) };
  });
}

async function serveEdge(ctx: Context, zones: string[]): Promise<number> {
  const { io } = ctx;
  const { loadEdgeConfig, startEdge, EdgeConfigError } = await import('@herald/edge');
  let config;
  try {
    config = loadEdgeConfig(io.env, io.cwd ?? process.cwd());
  } catch (e) {
    if (e instanceof EdgeConfigError) throw new CliError(e.message, EXIT_USAGE);
    throw e;
  }
  if (zones.length > 0) config = { ...config, staticZones: staticZones(zones) };
  else if (!config.token)
    throw new CliError(
      'herald edge: set HERALD_TOKEN to an edge key (herald apikey create --role edge), or serve files with --zone',
      EXIT_USAGE,
    );
  const handle = await startEdge(config, {
    stdout: io.stdout,
    stderr: io.stderr,
    ...(io.serve?.handleSignals !== undefined ? { handleSignals: io.serve.handleSignals } : {}),
  });
  io.serve?.onEdgeStarted?.(handle);
  await handle.closed;
  return EXIT_OK;
}

async function serveWorker(ctx: Context): Promise<number> {
  const { io } = ctx;
  const { loadConfig, startWorker } = await import('@herald/control-plane');
  const config = loadConfig(io.env, io.cwd ?? process.cwd());
  const handle = await startWorker(config, {
    stdout: io.stdout,
    stderr: io.stderr,
    ...(io.serve?.handleSignals !== undefined ? { handleSignals: io.serve.handleSignals } : {}),
    ...(io.serve?.exit ? { exit: io.serve.exit } : {}),
  });
  io.serve?.onWorkerStarted?.(handle);
  await handle.closed;
  return EXIT_OK;
}

async function serve(ctx: Context, mode: 'api' | 'all'): Promise<number> {
  const { io } = ctx;
  // Loaded here only: the operator commands start without NestJS and TypeORM.
  const { loadConfig, startApi } = await import('@herald/control-plane');
  const config = loadConfig(io.env, io.cwd ?? process.cwd());
  const exit = io.serve?.exit ?? ((code: number) => process.exit(code));
  // The all-in-one edge stops with the control plane: the API's signal handler closes it first.
  let edge: EdgeHandle | undefined;
  const handle = await startApi(config, {
    stdout: io.stdout,
    stderr: io.stderr,
    ...(io.serve?.handleSignals !== undefined ? { handleSignals: io.serve.handleSignals } : {}),
    exit: (code) => void (edge ? edge.close() : Promise.resolve()).finally(() => exit(code)),
    edgeKey: mode === 'all',
    // The all-in-one runs its jobs itself, even with REDIS_URL; `herald api` only without it.
    ...(mode === 'all' ? { runJobs: true } : {}),
  });
  if (mode === 'all') {
    const { loadEdgeConfig, startEdge, EdgeConfigError } = await import('@herald/edge');
    try {
      const edgeConfig = loadEdgeConfig(
        { EDGE_DATA_DIR: `${config.dataDir}/edge`, ...io.env },
        io.cwd ?? process.cwd(),
      );
      edge = await startEdge(
        { ...edgeConfig, heraldUrl: handle.url, token: handle.edgeToken! },
        { stdout: io.stdout, stderr: io.stderr, handleSignals: false, feed: handle.changeFeed },
      );
    } catch (e) {
      await handle.close();
      if (e instanceof EdgeConfigError) throw new CliError(e.message, EXIT_USAGE);
      throw e;
    }
    io.serve?.onEdgeStarted?.(edge);
    io.stdout.write(
      `herald all: ready. Try: dig @${edge.dns.host} -p ${edge.dns.port} <name> (Ctrl-C stops everything)\n`,
    );
  }
  io.serve?.onStarted?.(handle);
  await handle.closed;
  await edge?.close();
  return EXIT_OK;
}
