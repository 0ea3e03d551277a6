// herald import ZONE FILE | herald export ZONE: RFC 1035 master files in and out.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { zonePath } from '../client.js';
import { UsageError } from '../errors.js';
import { writeChunk } from '../io.js';
import { serialOf, withJson, type Context, type JsonOption } from '../context.js';
import { ProgressBar, printJson } from '../output.js';
import type { ImportResult } from '@herald/control-plane';

export function importCommand(ctx: Context): Command {
  const { stdout: out, stderr: err } = ctx.io;
  return withJson(
    new Command('import').description(
      'load a zone file (RFC 1035 master file) into a zone, all or nothing; by default the zone becomes exactly the file',
    ),
  )
    .argument('<zone>', 'zone name, e.g. example.com')
    .argument('<file>', 'the zone file; - reads standard input')
    .option('--merge', "add the file's records to the zone instead of replacing its content")
    .action(async (zone: string, file: string, opts: JsonOption & { merge?: boolean }) => {
      const { source, total, label } = await openSource(ctx, file);
      const client = await ctx.client();
      const bar = err.isTTY ? new ProgressBar(err, 'uploading', total) : undefined;
      let sent = 0;
      const iterator = source[Symbol.asyncIterator]();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await iterator.next();
          if (next.done) {
            bar?.finish(sent);
            controller.close();
            return;
          }
          const chunk = typeof next.value === 'string' ? new TextEncoder().encode(next.value) : next.value;
          sent += chunk.length;
          bar?.update(sent);
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        },
        async cancel() {
          await iterator.return?.();
        },
      });
      let result: ImportResult;
      try {
        ({ body: result } = await client.json<ImportResult>('POST', `${zonePath(zone)}/import`, {
          query: { mode: opts.merge ? 'merge' : 'replace' },
          headers: { 'content-type': 'text/dns' },
          body,
          file: label,
        }));
      } finally {
        await iterator.return?.();
      }
      if (opts.json) return printJson(out, result);
      for (const w of result.warnings)
        err.write(`warning: ${w.name}${w.type ? ` ${w.type}` : ''}: ${w.message}\n`);
      out.write(
        result.changed
          ? `imported ${label} into ${zone}: ${result.records} records in the file, ${result.added} added, ${result.removed} removed (zone serial ${result.serial})\n`
          : `imported ${label} into ${zone}: the zone already matched it, nothing changed (zone serial ${result.serial})\n`,
      );
    });
}

export function exportCommand(ctx: Context): Command {
  const out = ctx.io.stdout;
  return withJson(
    new Command('export').description('print a zone as a canonical zone file (RFC 1035) on stdout'),
  )
    .argument('<zone>', 'zone name, e.g. example.com')
    .action(async (zone: string, opts: JsonOption) => {
      const client = await ctx.client();
      const res = await client.request('GET', `${zonePath(zone)}/export`, {
        headers: { accept: 'text/dns' },
      });
      if (opts.json) {
        const serial = serialOf(res);
        return printJson(out, { zone, ...(serial !== undefined ? { serial } : {}), text: await res.text() });
      }
      if (!res.body) return;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
        await writeChunk(out, chunk);
    });
}

async function openSource(
  ctx: Context,
  file: string,
): Promise<{ source: AsyncIterable<Uint8Array | string>; total?: number; label: string }> {
  if (file === '-') {
    if (!ctx.io.stdin) throw new UsageError('no standard input to read the zone file from');
    return { source: ctx.io.stdin, label: '<stdin>' };
  }
  const full = path.resolve(ctx.io.cwd ?? process.cwd(), file);
  let info;
  try {
    info = await stat(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'error')}`);
  }
  if (!info.isFile()) throw new UsageError(`${file} is not a file`);
  return { source: createReadStream(full), total: info.size, label: file };
}
