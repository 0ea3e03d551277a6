// A private redis-server on a port of its own (never the machine's shared
// one), with no persistence, and the one command the tests ask it.
import { connect } from 'node:net';
import { Proc } from './processes.js';

export function startRedis(port: number, dir: string): Proc {
  return new Proc(
    `redis-server :${port}`,
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    process.env,
  );
}

export async function waitForRedis(redis: Proc): Promise<void> {
  await redis.waitFor(/Ready to accept connections/, 10_000);
}

/** Sends one command (RESP) and returns the raw reply. */
function command(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let reply = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`redis on ${port}: no reply to ${args[0]}`));
    }, 2000);
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('data', (d: Buffer) => {
      reply += d.toString();
      // PUBSUB NUMSUB replies `*2\r\n$<n>\r\n<channel>\r\n:<count>\r\n`: complete once the integer is in.
      if (/:\d+\r\n$/.test(reply) || reply.startsWith('-')) {
        clearTimeout(timer);
        sock.end();
        resolve(reply);
      }
    });
    sock.write(`*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(''));
  });
}

/** How many connections are subscribed to `channel` (each edge holds one). */
export async function subscribers(port: number, channel: string): Promise<number> {
  const reply = await command(port, ['PUBSUB', 'NUMSUB', channel]);
  const m = /:(\d+)\r\n$/.exec(reply);
  if (!m) throw new Error(`unexpected PUBSUB NUMSUB reply: ${JSON.stringify(reply)}`);
  return Number(m[1]);
}
