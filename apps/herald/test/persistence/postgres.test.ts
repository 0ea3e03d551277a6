import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { authStoreContract } from './auth-store.contract.js';
import { edgeRegistryContract } from './edge-registry.contract.js';
import { openStores } from './stores.js';
import { zoneStoreContract } from './zone-store.contract.js';

const databaseUrl = process.env.DATABASE_URL;

if (!databaseUrl) {
  console.log(
    'PostgreSQL contract suite NOT run: DATABASE_URL is unset (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)',
  );
}

// Each suite gets a database of its own, created on the URL's server and
// dropped afterwards, so runs (and suites) never see each other's rows.
describe.runIf(!!databaseUrl)('persistence on PostgreSQL', () => {
  const created: string[] = [];

  async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  /** An open() that creates its database on first use and reopens it after. */
  function freshDatabase() {
    let url: Promise<string> | undefined;
    return async () => {
      url ??= (async () => {
        const name = `herald_test_${randomBytes(6).toString('hex')}`;
        await admin((client) => client.query(`CREATE DATABASE ${name}`));
        created.push(name);
        const target = new URL(databaseUrl ?? '');
        target.pathname = `/${name}`;
        return target.toString();
      })();
      return openStores({ databaseUrl: await url, dataDir: tmpdir() });
    };
  }

  afterAll(async () => {
    if (created.length === 0) return;
    await admin(async (client) => {
      for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
  });

  zoneStoreContract('PostgreSQL', freshDatabase());
  authStoreContract('PostgreSQL', freshDatabase());
  edgeRegistryContract('PostgreSQL', freshDatabase());
});
