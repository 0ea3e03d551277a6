// What the CLI touches of the outside world, injectable so tests run it in-process.
import type { ApiHandle, WorkerHandle } from '@herald/control-plane';
import type { EdgeHandle } from '@herald/edge';

export interface OutputStream {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Read by `herald import ZONE -`. */
  stdin?: AsyncIterable<Uint8Array | string>;
  env: Record<string, string | undefined>;
  /** Relative paths (HERALD_DATA_DIR, import files) resolve against it; default process.cwd(). */
  cwd?: string;
  /** Default the global fetch. */
  fetch?: typeof fetch;
  /** For `herald api` / `herald all` run inside tests. */
  serve?: {
    /** Default true: SIGINT/SIGTERM close the server and end the process. */
    handleSignals?: boolean;
    exit?: (code: number) => void;
    /** Called once the API listens. */
    onStarted?: (handle: ApiHandle) => void;
    /** Called once the edge answers DNS. */
    onEdgeStarted?: (handle: EdgeHandle) => void;
    /** Called once `herald worker` runs jobs. */
    onWorkerStarted?: (handle: WorkerHandle) => void;
  };
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Writes and, on a real stream that asks for it, waits for 'drain' so a big export is not buffered whole. */
export async function writeChunk(out: OutputStream, chunk: string | Uint8Array): Promise<void> {
  const ok = out.write(chunk);
  const stream = out as OutputStream & { once?: (event: string, fn: () => void) => unknown };
  if (ok === false && typeof stream.once === 'function') {
    await new Promise<void>((resolve) => stream.once!('drain', resolve));
  }
}
