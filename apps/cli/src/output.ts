// Output for humans (aligned tables, a progress bar) and for scripts (--json).
import type { OutputStream } from './io.js';

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))));
  return (
    all
      .map((r) =>
        r
          .map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - width(cell))))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** `key  value` lines, values aligned. */
export function keyValues(pairs: [string, string][]): string {
  const w = Math.max(...pairs.map(([k]) => width(k)));
  return pairs.map(([k, v]) => `${k}${' '.repeat(w - width(k))}  ${v}`.trimEnd()).join('\n') + '\n';
}

/** Display width, counting code points (close enough for names and values). */
function width(text: string): number {
  return [...text].length;
}

export function printJson(out: OutputStream, value: unknown): void {
  out.write(JSON.stringify(value, null, 2) + '\n');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/**
 * `[#########-----------]  45%  1.2 MiB / 2.6 MiB` on one line, redrawn at
 * most every 100 ms. Only for terminals: a log file gets no carriage returns.
 */
export class ProgressBar {
  private last = 0;
  private drawn = false;

  constructor(
    private readonly out: OutputStream,
    private readonly label: string,
    private readonly total: number | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  update(done: number, force = false): void {
    const t = this.now();
    if (!force && this.drawn && t - this.last < 100) return;
    this.last = t;
    this.drawn = true;
    this.out.write(`\r${this.render(done)}\x1b[K`);
  }

  finish(done: number): void {
    this.update(done, true);
    this.out.write('\n');
  }

  render(done: number): string {
    if (this.total === undefined || this.total === 0) return `${this.label} ${formatBytes(done)}`;
    const ratio = Math.min(1, done / this.total);
    const cells = 24;
    const full = Math.round(ratio * cells);
    const bar = '#'.repeat(full) + '-'.repeat(cells - full);
    const pct = `${Math.floor(ratio * 100)}%`.padStart(4);
    return `${this.label} [${bar}] ${pct}  ${formatBytes(done)} / ${formatBytes(this.total)}`;
  }
}
