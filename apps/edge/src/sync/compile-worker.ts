// Compiling a large zone from text takes seconds and, while it runs, far more
// memory than the result. It runs here, in a child process, so the query
// thread keeps answering and every byte the parser used goes back to the
// system when the child exits (a worker thread leaves its heap's pages in
// the parent's allocator). The image goes straight to the local copy; the
// caller loads it from there.
import { fork } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LocalStore } from './local-store.js';
import { compileZoneText } from './zone-text.js';

interface Job {
  zone: string;
  file: string;
  dataDir: string;
}

type Result =
  { ok: true; serial: number; records: number } | { ok: false; message: string; dataError: boolean };

const JOB_ENV = 'HERALD_EDGE_COMPILE_JOB';

/** The compiled entry of this module, when running from the build (not from TypeScript sources). */
function entry(): string | undefined {
  const file = fileURLToPath(import.meta.url);
  return file.endsWith('.js') && existsSync(file) ? file : undefined;
}

export function canCompileInWorker(): boolean {
  return entry() !== undefined;
}

/** Compiles `file` for `zone` in a child process and writes the image into the local copy. */
export function compileInWorker(
  zone: string,
  file: string,
  dataDir: string,
): Promise<{ serial: number; records: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(entry()!, [], {
      env: { ...process.env, [JOB_ENV]: JSON.stringify({ zone, file, dataDir } satisfies Job) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: Result | undefined;
    child.once('message', (r: Result) => (result = r));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!result) reject(new Error(`zone compiler exited with code ${code}`));
      else if (result.ok) resolve({ serial: result.serial, records: result.records });
      else
        reject(
          result.dataError
            ? Object.assign(new Error(result.message), { name: 'ZoneDataError' })
            : new Error(result.message),
        );
    });
  });
}

const job = process.env[JOB_ENV];
if (job && process.send) {
  const { zone, file, dataDir } = JSON.parse(job) as Job;
  let result: Result;
  try {
    const img = await compileZoneText(
      zone,
      createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    );
    await new LocalStore(dataDir).writeImage(zone, img);
    result = { ok: true, serial: img.serial, records: img.records };
  } catch (e) {
    const err = e as Error;
    result = { ok: false, message: err.message, dataError: err.name === 'ZoneDataError' };
  }
  process.send(result, () => process.exit(0));
}
