// herald records list | add | rm
import { Command } from 'commander';
import { zonePath } from '../client.js';
import { serialOf, ttlOption, withJson, type Context, type JsonOption } from '../context.js';
import { printJson, table } from '../output.js';
// Type-only: the CLI never loads the control plane for operator commands.
import type { ApiRecord } from '@herald/control-plane';

/** The largest page the API serves. */
const PAGE = 1000;

export function recordsCommand(ctx: Context): Command {
  const out = ctx.io.stdout;
  const records = new Command('records').description("list, add and remove a zone's records");

  withJson(records.command('list').description('list the records of a zone (every page)'))
    .alias('ls')
    .argument('<zone>', 'zone name, e.g. example.com')
    .option('--name <name>', 'only this owner name (relative to the zone, @ for the apex, or absolute)')
    .option('--type <type>', 'only this type, e.g. A, MX, TYPE65')
    .action(async (zone: string, opts: JsonOption & { name?: string; type?: string }) => {
      const client = await ctx.client();
      const all: ApiRecord[] = [];
      let cursor: string | undefined;
      do {
        const { body } = await client.json<{ records: ApiRecord[]; next?: string }>(
          'GET',
          `${zonePath(zone)}/records`,
          {
            query: { name: opts.name, type: opts.type, cursor, limit: String(PAGE) },
          },
        );
        all.push(...body.records);
        cursor = body.next;
      } while (cursor);
      if (opts.json) return printJson(out, { records: all });
      if (all.length === 0) {
        out.write('no records match\n');
        return;
      }
      out.write(
        table(
          ['ID', 'NAME', 'TTL', 'TYPE', 'VALUE'],
          all.map((r) => [r.id, r.name, String(r.ttl), r.type, r.value]),
        ),
      );
    });

  withJson(
    records.command('add').description('add a record (an identical record already there is left as is)'),
  )
    .argument('<zone>', 'zone name, e.g. example.com')
    .argument('<name>', 'owner name: relative to the zone, @ for the apex, or absolute')
    .argument('<type>', 'record type, e.g. A, AAAA, CNAME, MX, TXT')
    .argument(
      '<value...>',
      'RDATA in zone-file form; several words are joined with spaces (MX 10 mail); quote TXT strings',
    )
    .option('--ttl <seconds>', "TTL (default: the server's HERALD_DEFAULT_TTL)", ttlOption)
    .action(
      async (
        zone: string,
        name: string,
        type: string,
        value: string[],
        opts: JsonOption & { ttl?: number },
      ) => {
        const client = await ctx.client();
        const { body, res } = await client.json<ApiRecord>('POST', `${zonePath(zone)}/records`, {
          json: { name, type, value: value.join(' '), ...(opts.ttl !== undefined ? { ttl: opts.ttl } : {}) },
        });
        if (opts.json) return printJson(out, body);
        const serial = serialOf(res);
        const what = `${body.name} ${body.ttl} ${body.type} ${body.value}`;
        out.write(
          res.status === 201
            ? `added ${what} (id ${body.id}${serial !== undefined ? `, zone serial ${serial}` : ''})\n`
            : `already present: ${what} (id ${body.id}); nothing changed\n`,
        );
      },
    );

  withJson(records.command('rm').description('remove a record by its id (see records list)'))
    .alias('delete')
    .argument('<zone>', 'zone name, e.g. example.com')
    .argument('<id>', 'record id')
    .option('--force', 'also remove a record managed by another system (metadata.managed_by); audited')
    .action(async (zone: string, id: string, opts: JsonOption & { force?: boolean }) => {
      const client = await ctx.client();
      const res = await client.request('DELETE', `${zonePath(zone)}/records/${encodeURIComponent(id)}`, {
        query: opts.force ? { force: 'true' } : {},
      });
      const serial = serialOf(res);
      if (opts.json)
        return printJson(out, { removed: id, zone, ...(serial !== undefined ? { serial } : {}) });
      out.write(`removed record ${id}${serial !== undefined ? ` (zone serial ${serial})` : ''}\n`);
    });

  return records;
}
