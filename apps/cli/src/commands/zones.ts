// herald zones list | show | create | delete
import { Command } from 'commander';
import { zonePath } from '../client.js';
import { serialOf, ttlOption, withJson, type Context, type JsonOption } from '../context.js';
import { keyValues, printJson, table } from '../output.js';

interface Zone {
  name: string;
  serial: number;
  createdAt: string;
  updatedAt: string;
}

interface ZoneDetails extends Zone {
  soa: string;
  nameservers: string[];
  recordCount: number;
  dnssec: { enabled: boolean };
}

export function zonesCommand(ctx: Context): Command {
  const out = ctx.io.stdout;
  const zones = new Command('zones').description("list, show, create and delete zones (of the token's org)");

  withJson(zones.command('list').description('list the zones'))
    .alias('ls')
    .action(async (opts: JsonOption) => {
      const client = await ctx.client();
      const { body } = await client.json<{ zones: Zone[] }>('GET', '/v1/zones');
      if (opts.json) return printJson(out, body);
      if (body.zones.length === 0) {
        out.write('no zones yet; create one with: herald zones create example.com\n');
        return;
      }
      out.write(
        table(
          ['NAME', 'SERIAL', 'UPDATED'],
          body.zones.map((z) => [z.name, String(z.serial), z.updatedAt]),
        ),
      );
    });

  withJson(zones.command('show').description("show a zone's serial, SOA, name servers and size"))
    .argument('<zone>', 'zone name, e.g. example.com')
    .action(async (zone: string, opts: JsonOption) => {
      const client = await ctx.client();
      const { body } = await client.json<ZoneDetails>('GET', zonePath(zone));
      if (opts.json) return printJson(out, body);
      out.write(
        keyValues([
          ['name', body.name],
          ['serial', String(body.serial)],
          ['soa', body.soa],
          ['nameservers', body.nameservers.join(' ')],
          ['records', String(body.recordCount)],
          ['dnssec', body.dnssec.enabled ? 'on' : 'off'],
          ['created', body.createdAt],
          ['updated', body.updatedAt],
        ]),
      );
    });

  withJson(zones.command('create').description('create a zone with its SOA and NS records'))
    .argument('<zone>', 'zone name, e.g. example.com')
    .option(
      '--ns <name...>',
      "the zone's name servers (default: the server's HERALD_NAMESERVERS, else ns1 and ns2 inside the zone)",
    )
    .option(
      '--ttl <seconds>',
      'TTL of the SOA and NS records (default HERALD_DEFAULT_TTL of the server)',
      ttlOption,
    )
    .action(async (zone: string, opts: JsonOption & { ns?: string[]; ttl?: number }) => {
      const client = await ctx.client();
      const { body } = await client.json<Zone>('POST', '/v1/zones', {
        json: {
          name: zone,
          ...(opts.ns ? { nameservers: opts.ns } : {}),
          ...(opts.ttl !== undefined ? { ttl: opts.ttl } : {}),
        },
      });
      if (opts.json) return printJson(out, body);
      out.write(`created zone ${body.name} (serial ${body.serial})\n`);
    });

  withJson(zones.command('delete').description('delete a zone and all its records'))
    .alias('rm')
    .argument('<zone>', 'zone name, e.g. example.com')
    .action(async (zone: string, opts: JsonOption) => {
      const client = await ctx.client();
      const res = await client.request('DELETE', zonePath(zone));
      const serial = serialOf(res);
      if (opts.json) return printJson(out, { deleted: zone, ...(serial !== undefined ? { serial } : {}) });
      out.write(`deleted zone ${zone}\n`);
    });

  return zones;
}
