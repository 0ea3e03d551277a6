// Compiling a large zone from text takes seconds and, while it runs, far more
// memory than the result. It runs here, in a worker thread, so the query
// thread keeps answering and the heap the parser grew is handed back to the
// system when the worker ends. The image goes straight to the local copy;
// the caller loads it from there (a fast path: see local-store.ts).
import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { LocalStore } from './local-store.js';
import { compileZoneText } from './zone-text.js';

interface Job {
  zone: string;
  file: string;
  dataDir: string;
}

type Result =
  { ok: true; serial: number; records: number } | { ok: false; message: string; dataError: boolean };

/** The compiled entry of this module, when running from the build (not from TypeScript sources). */
function entry(): string | undefined {
  const file = fileURLToPath(import.meta.url);
  return file.endsWith('.js') && existsSync(file) ? file : undefined;
}

export function canCompileInWorker(): boolean {
  return entry() !== undefined;
}

/** Compiles `file` for `zone` in a worker thread and writes the image into the local copy. */
export function compileInWorker(
  zone: string,
  file: string,
  dataDir: string,
): Promise<{ serial: number; records: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry()!, { workerData: { zone, file, dataDir } satisfies Job });
    let settled = false;
    worker.once('message', (r: Result) => {
      settled = true;
      if (r.ok) resolve({ serial: r.serial, records: r.records });
      else
        reject(
          r.dataError ? Object.assign(new Error(r.message), { name: 'ZoneDataError' }) : new Error(r.message),
        );
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`zone compiler exited with code ${code}`));
    });
  });
}

if (!isMainThread && parentPort && (workerData as Job | undefined)?.zone) {
  const job = workerData as Job;
  try {
    const img = await compileZoneText(
      job.zone,
      createReadStream(job.file, { encoding: 'utf8', highWaterMark: 1 << 20 }),
    );
    const store = new LocalStore(job.dataDir);
    await store.writeImage(job.zone, img);
    parentPort.postMessage({ ok: true, serial: img.serial, records: img.records } satisfies Result);
  } catch (e) {
    const err = e as Error;
    parentPort.postMessage({
      ok: false,
      message: err.message,
      dataError: err.name === 'ZoneDataError',
    } satisfies Result);
  }
}
