// How each server is configured and started: a minimal configuration in its
// own temporary directory, one worker/thread for queries, no DNSSEC, no query
// logging, no response-rate limiting, listening on 127.0.0.1:<port> (UDP+TCP).
// Each returns { cmd, args, env? }; run.mjs starts it under `taskset -c <cpu>`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export const SERVERS = {
  edge: {
    label: 'Herald edge',
    tools: [],
    /**
     * The edge's static mode: serves the zone file, no control plane. `workers`
     * is EDGE_WORKERS; `dataDir` is EDGE_DATA_DIR (kept across a restart so the
     * second start loads the compiled local copy).
     */
    start({ cli, port, zone, origin, dataDir, workers = 1 }) {
      return {
        cmd: process.execPath,
        args: [cli, 'edge', '--zone', `${origin}=${zone}`],
        env: {
          ...process.env,
          EDGE_DNS_LISTEN: `127.0.0.1:${port}`,
          EDGE_HTTP_LISTEN: 'off',
          EDGE_WORKERS: String(workers),
          EDGE_DATA_DIR: dataDir,
        },
      };
    },
  },

  knot: {
    label: 'Knot DNS',
    tools: ['knotd'],
    start({ dir, port, zone, origin }) {
      const conf = path.join(dir, 'knot.conf');
      writeFileSync(
        conf,
        `server:
    rundir: "${dir}"
    listen: 127.0.0.1@${port}
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "${dir}"
log:
  - target: stderr
    any: warning
zone:
  - domain: ${origin}
    file: "${zone}"
    storage: "${dir}"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
`,
      );
      return { cmd: 'knotd', args: ['-c', conf] };
    },
  },

  nsd: {
    label: 'NSD',
    tools: ['nsd'],
    start({ dir, port, zone, origin }) {
      const conf = path.join(dir, 'nsd.conf');
      writeFileSync(
        conf,
        `server:
    ip-address: 127.0.0.1@${port}
    port: ${port}
    do-ip6: no
    server-count: 1
    username: ""
    chroot: ""
    zonesdir: "${dir}"
    database: ""
    zonelistfile: "${dir}/zone.list"
    xfrdfile: "${dir}/xfrd.state"
    xfrdir: "${dir}"
    pidfile: "${dir}/nsd.pid"
    logfile: "${dir}/nsd.log"
    verbosity: 0
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: ${origin}
    zonefile: "${zone}"
`,
      );
      return { cmd: 'nsd', args: ['-d', '-c', conf] };
    },
  },

  bind: {
    label: 'BIND',
    tools: ['named'],
    start({ dir, port, zone, origin }) {
      const conf = path.join(dir, 'named.conf');
      writeFileSync(
        conf,
        `options {
    directory "${dir}";
    pid-file "${dir}/named.pid";
    session-keyfile "${dir}/session.key";
    managed-keys-directory "${dir}";
    listen-on port ${port} { 127.0.0.1; };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
    notify no;
    querylog no;
};
controls { };
logging {
    channel main { file "${dir}/named.log"; severity warning; };
    category default { main; };
};
zone "${origin}" {
    type primary;
    file "${zone}";
};
`,
      );
      return { cmd: 'named', args: ['-f', '-4', '-n', '1', '-c', conf] };
    },
  },
};
