// The herald program: process subcommands (api, all, worker, edge) and the
// operators' commands over the REST API. `run` is main.ts's body, with the
// outside world injected so tests run it in-process.
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.js';
import { Context } from './context.js';
import { apikeyCommand } from './commands/apikey.js';
import { processCommands, type ServeResult } from './commands/processes.js';
import { recordsCommand } from './commands/records.js';
import { exportCommand, importCommand } from './commands/zone-files.js';
import { zonesCommand } from './commands/zones.js';
import { dnssecCommand } from './commands/dnssec.js';
import { printJson } from './output.js';
import type { CliIo } from './io.js';

export type { CliIo, OutputStream } from './io.js';
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.js';

const ENVIRONMENT_HELP = `
Environment:
  HERALD_URL        the control plane's URL (default http://127.0.0.1:8053)
  HERALD_TOKEN      the API key (or JWT) to send. When unset, the token is read
                    from $HERALD_DATA_DIR/admin-key, the admin key the all-in-one
                    (\`pnpm start\`) writes on first start, so it works out of the box.
                    The CLI never prints it.
  HERALD_DATA_DIR   data directory of the all-in-one (default ./.herald)
  The processes (api, all) read DATABASE_URL, REDIS_URL, HERALD_API_LISTEN,
  HERALD_MASTER_KEY, HERALD_NAMESERVERS and HERALD_DEFAULT_TTL (see CONTRACT.md).

Output: tables for people; --json on every operator command prints JSON (on
failure, the API's problem+json) on stdout for scripts.
Exit status: 0 success, 1 API or runtime error, 2 usage error.
`;

export function buildProgram(ctx: Context, served: ServeResult): Command {
  const { io } = ctx;
  const program = new Command('herald')
    .description(
      'Herald, self-hosted authoritative DNS: runs its processes and manages zones over the REST API.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', ENVIRONMENT_HELP);

  for (const cmd of [
    ...processCommands(ctx, served),
    zonesCommand(ctx),
    dnssecCommand(ctx),
    recordsCommand(ctx),
    importCommand(ctx),
    exportCommand(ctx),
    apikeyCommand(ctx),
  ])
    program.addCommand(inherit(cmd, program));
  return program;
}

/** addCommand() does not copy the parent's settings: exit override, output and help text, down the tree. */
function inherit(cmd: Command, parent: Command): Command {
  cmd.copyInheritedSettings(parent);
  cmd.addHelpText('after', ENVIRONMENT_HELP);
  for (const sub of cmd.commands) inherit(sub, cmd);
  return cmd;
}

/** Runs the CLI on `argv` (without node and script); resolves to the exit status. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const ctx = new Context(io);
  const served: ServeResult = { exitCode: EXIT_OK };
  const program = buildProgram(ctx, served);
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return served.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; anything else commander rejects is a usage error.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
        ? EXIT_OK
        : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      io.stderr.write(`herald: ${error.message}\n${error.details.map((d) => `  ${d}\n`).join('')}`);
      if (json && error.json !== undefined) printJson(io.stdout, error.json);
      return error.exitCode;
    }
    const e = error as Error;
    // The control plane's configuration errors name the variable and never its secret value.
    if (e?.name === 'ConfigError') {
      io.stderr.write(`herald: ${e.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`herald: ${e?.message ?? String(error)}\n`);
    return EXIT_FAILURE;
  }
}
