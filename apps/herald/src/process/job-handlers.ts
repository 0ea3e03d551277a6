// The job handlers every process registers on its queue before starting it
// (`herald api`, `herald all`, `herald worker`): one place, so a job enqueued
// by the API finds its handler wherever it runs.
import { UdpTcpDnsClient } from '../adapters/dns-client/udp-tcp-dns-client.js';
import { registerDnssecJobs } from '../dnssec/dnssec-jobs.js';
import { resolverFromEnvironment } from '../zones/resolver-config.js';
import type { JobRegistrar } from './runtime.js';

export const registerJobHandlers: JobRegistrar = async (queue, deps) => {
  // DNSSEC: full signs of large zones, and the hourly refresh/rollover pass.
  await registerDnssecJobs(queue, {
    zoneStore: deps.zoneStore,
    changeFeed: deps.changeFeed,
    secretBox: deps.secretBox,
    clock: deps.clock,
    dns: { client: new UdpTcpDnsClient(), resolver: resolverFromEnvironment() },
  });
};
