// herald dnssec show | enable | disable | sign | rollover | ds-seen
import { Command } from 'commander';
import { zonePath } from '../client.js';
import { withJson, type Context, type JsonOption } from '../context.js';
import { keyValues, printJson, table } from '../output.js';

interface DnssecView {
  zone: string;
  state: string;
  settings: { algorithm: number; denial: string; scheme: string };
  keys: {
    tag: number;
    algorithm: number;
    role: string;
    state: string;
    ds?: string;
    activeAt?: string;
    retiredAt?: string;
  }[];
  ds: string[];
  dnskey: string[];
  nextEvents: { at: string; action: string; detail: string }[];
  job?: { id: string; state: string; progress: number };
}

export function dnssecCommand(ctx: Context): Command {
  const out = ctx.io.stdout;
  const dnssec = new Command('dnssec').description('sign zones, show keys and DS, roll keys over');
  const show = (v: DnssecView) => {
    out.write(
      keyValues([
        ['zone', v.zone],
        ['state', v.state],
        ['algorithm', String(v.settings.algorithm)],
        ['denial', v.settings.denial],
        ['keys', v.settings.scheme],
        ...(v.job ? ([['job', `${v.job.id} ${v.job.state} ${v.job.progress}%`]] as [string, string][]) : []),
      ]),
    );
    const live = v.keys.filter((k) => k.state !== 'removed');
    if (live.length)
      out.write(
        table(
          ['TAG', 'ROLE', 'ALG', 'STATE', 'DS', 'ACTIVE SINCE'],
          live.map((k) => [
            String(k.tag),
            k.role,
            String(k.algorithm),
            k.state,
            k.ds ?? '-',
            k.activeAt ?? '-',
          ]),
        ),
      );
    if (v.ds.length) out.write(`\nDS for the registrar:\n${v.ds.join('\n')}\n`);
    if (v.nextEvents.length)
      out.write(`\nnext:\n${v.nextEvents.map((e) => `${e.at || '(waiting)'}  ${e.detail}`).join('\n')}\n`);
  };
  const run = (method: string, sub: string, json?: unknown) => async (zone: string, opts: JsonOption) => {
    const client = await ctx.client();
    const { body } = await client.json<DnssecView>(
      method,
      `${zonePath(zone)}/${sub}`,
      json === undefined ? {} : { json },
    );
    if (opts.json) return printJson(out, body);
    show(body);
  };

  withJson(dnssec.command('show').description("a zone's keys, DS records and next events"))
    .argument('<zone>', 'zone name')
    .action(run('GET', 'dnssec'));
  withJson(dnssec.command('enable').description('sign the zone (13, NSEC3, KSK+ZSK unless told otherwise)'))
    .argument('<zone>', 'zone name')
    .option('--algorithm <n>', '13 (ECDSAP256SHA256) or 15 (Ed25519)', (v) => Number(v))
    .option('--nsec', 'NSEC instead of NSEC3')
    .option('--csk', 'one combined signing key instead of KSK+ZSK')
    .action(async (zone: string, opts: JsonOption & { algorithm?: number; nsec?: boolean; csk?: boolean }) =>
      run('PUT', 'dnssec', {
        enabled: true,
        ...(opts.algorithm !== undefined ? { algorithm: opts.algorithm } : {}),
        ...(opts.nsec ? { denial: 'nsec' } : {}),
        ...(opts.csk ? { keys: 'csk' } : {}),
      })(zone, opts),
    );
  withJson(
    dnssec.command('disable').description('turn signing off (CDS delete first when the parent has a DS)'),
  )
    .argument('<zone>', 'zone name')
    .action(run('PUT', 'dnssec', { enabled: false }));
  withJson(dnssec.command('sign').description('re-sign the zone in full (a job)'))
    .argument('<zone>', 'zone name')
    .action(async (zone: string, opts: JsonOption) => {
      const client = await ctx.client();
      const { body } = await client.json<{ job?: string }>('POST', `${zonePath(zone)}/sign`);
      if (opts.json) return printJson(out, body);
      out.write(body.job ? `signing job ${body.job} queued; see: herald dnssec show ${zone}\n` : 'signed\n');
    });
  withJson(dnssec.command('rollover').description('start a key rollover now'))
    .argument('<zone>', 'zone name')
    .argument('<role>', 'zsk, ksk or csk')
    .option('--emergency', 'the new ZSK signs at once (a compromised key)')
    .action(async (zone: string, role: string, opts: JsonOption & { emergency?: boolean }) =>
      run('POST', 'dnssec/rollover', { role, ...(opts.emergency ? { emergency: true } : {}) })(zone, opts),
    );
  withJson(
    dnssec.command('ds-seen').description('tell herald the key tags of the DS records the parent publishes'),
  )
    .argument('<zone>', 'zone name')
    .argument('[tags...]', 'key tags (none: the parent has no DS)')
    .action(async (zone: string, tags: string[], opts: JsonOption) =>
      run('POST', 'dnssec/ds', { keyTags: tags.map(Number) })(zone, opts),
    );
  return dnssec;
}
