// Runs the CLI in-process with captured output, and the control plane on a
// temporary data directory and a free port (embedded PGlite).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, startApi, type ApiHandle } from '@herald/control-plane';
import { run } from '../src/cli.js';
import type { CliIo, OutputStream } from '../src/io.js';

export interface Captured extends OutputStream {
  text(): string;
}

export function capture(isTTY = false): Captured {
  const decoder = new TextDecoder();
  let text = '';
  return {
    isTTY,
    write(chunk: string | Uint8Array) {
      text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      return true;
    },
    text: () => text,
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `herald …argv` in this process, with exactly `env` as its environment. */
export async function herald(
  argv: string[],
  env: Record<string, string | undefined>,
  extra: Partial<CliIo> & { ttyStderr?: boolean } = {},
): Promise<CliRun> {
  const stdout = capture();
  const stderr = capture(extra.ttyStderr ?? false);
  const { ttyStderr: _tty, ...rest } = extra;
  const code = await run(argv, { env, ...rest, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

export function tempDir(prefix = 'herald-cli-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Server {
  handle: ApiHandle;
  stdout: string;
  stderr: string;
}

/** The control plane on `dataDir`, port 0, no signal handlers. */
export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<Server> {
  const stdout = capture();
  const stderr = capture();
  const config = loadConfig({ HERALD_DATA_DIR: dataDir, HERALD_API_LISTEN: '127.0.0.1:0', ...env });
  const handle = await startApi(config, { stdout, stderr, handleSignals: false });
  return { handle, stdout: stdout.text(), stderr: stderr.text() };
}

/** The tokens (`hk_…`) that appear in `text`. */
export function tokensIn(text: string): string[] {
  return text.match(/hk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}/g) ?? [];
}
