// herald apikey create | list | revoke
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { absoluteZone, withJson, type Context, type JsonOption } from '../context.js';
import { printJson, table } from '../output.js';

const ROLES = ['admin', 'editor', 'viewer', 'edge'];

interface ApiKeyView {
  id: string;
  prefix: string;
  role: string;
  zones?: string[];
  expiresAt?: string;
  revokedAt?: string;
  createdBy: string;
  createdAt: string;
}

export function apikeyCommand(ctx: Context): Command {
  const out = ctx.io.stdout;
  const apikey = new Command('apikey').description('create, list and revoke API keys of the org');

  withJson(apikey.command('create').description('create an API key; its token is printed once'))
    .addOption(new Option('--role <role>', 'what the key may do').choices(ROLES).makeOptionMandatory())
    .option('--zone <zone...>', 'limit the key to these zones (default: every zone of the org)')
    .option('--expires <time>', 'expiry, an ISO 8601 time such as 2026-12-31T00:00:00Z (default: never)')
    .action(async (opts: JsonOption & { role: string; zone?: string[]; expires?: string }) => {
      if (opts.expires !== undefined && Number.isNaN(Date.parse(opts.expires)))
        throw new UsageError(
          `--expires: '${opts.expires}' is not an ISO 8601 time (e.g. 2026-12-31T00:00:00Z)`,
        );
      const client = await ctx.client();
      const { body } = await client.json<{ token: string; key: ApiKeyView }>('POST', '/v1/apikeys', {
        json: {
          role: opts.role,
          ...(opts.zone ? { zones: opts.zone.map(absoluteZone) } : {}),
          ...(opts.expires !== undefined ? { expiresAt: new Date(opts.expires).toISOString() } : {}),
        },
      });
      if (opts.json) return printJson(out, body);
      const k = body.key;
      out.write(
        [
          `created API key ${k.prefix} (id ${k.id}; role ${k.role}; zones ${k.zones?.join(' ') ?? 'all'}; expires ${k.expiresAt ?? 'never'})`,
          'Its token is shown only this once; store it now:',
          '',
          `    ${body.token}`,
          '',
        ].join('\n'),
      );
    });

  withJson(apikey.command('list').description('list the API keys (never their tokens)'))
    .alias('ls')
    .action(async (opts: JsonOption) => {
      const client = await ctx.client();
      const { body } = await client.json<{ keys: ApiKeyView[] }>('GET', '/v1/apikeys');
      if (opts.json) return printJson(out, body);
      out.write(
        table(
          ['ID', 'PREFIX', 'ROLE', 'ZONES', 'EXPIRES', 'REVOKED', 'CREATED'],
          body.keys.map((k) => [
            k.id,
            k.prefix,
            k.role,
            k.zones?.join(',') ?? 'all',
            k.expiresAt ?? '-',
            k.revokedAt ?? '-',
            k.createdAt,
          ]),
        ),
      );
    });

  withJson(apikey.command('revoke').description('revoke an API key by its id'))
    .argument('<id>', 'key id (see apikey list)')
    .action(async (id: string, opts: JsonOption) => {
      const client = await ctx.client();
      await client.request('DELETE', `/v1/apikeys/${encodeURIComponent(id)}`);
      if (opts.json) return printJson(out, { revoked: id });
      out.write(`revoked API key ${id}\n`);
    });

  return apikey;
}
