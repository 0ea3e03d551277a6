// Tests that run the built program call `pnpm run build` first. Two such test
// files run in parallel workers; two builds at once would write the same
// dist/ files, so builds are serialized with a lock directory (mkdir is
// atomic). The second build is incremental and quick.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);
const LOCK = path.join(
  tmpdir(),
  `herald-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`,
);
/** A lock older than this was left by a killed run. */
const STALE_MS = 10 * 60_000;

export async function buildLocked(
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await new Promise((resolve) => {
      const child = spawn('pnpm', ['run', 'build'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
