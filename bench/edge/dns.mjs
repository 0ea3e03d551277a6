// Just enough DNS for the benchmark's probes: encode one query, check that an
// answer carries the expected A record, over UDP and TCP.
import dgram from 'node:dgram';
import net from 'node:net';

/** Wire query for (name, type) with the given id; EDNS0 with a 1232-octet buffer. */
export function encodeQuery(name, type, id) {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const parts = [Buffer.from([id >> 8, id & 255, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1])];
  for (const l of labels) parts.push(Buffer.from([l.length]), Buffer.from(l, 'ascii'));
  parts.push(Buffer.from([0, type >> 8, type & 255, 0, 1]));
  parts.push(Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]));
  return Buffer.concat(parts);
}

function skipName(buf, off) {
  for (;;) {
    if (off >= buf.length) throw new Error('truncated name');
    const len = buf[off];
    if (len === 0) return off + 1;
    if ((len & 0xc0) === 0xc0) return off + 2;
    off += len + 1;
  }
}

/**
 * Checks an answer: the id, QR, rcode NOERROR and an A record with `address`
 * in the answer section. Returns null when it is right, else what is wrong.
 */
export function checkAnswer(buf, id, address) {
  if (buf.length < 12) return 'short message';
  if (buf.readUInt16BE(0) !== id) return 'other id';
  const flags = buf.readUInt16BE(2);
  if (!(flags & 0x8000)) return 'QR not set';
  const rcode = flags & 15;
  if (rcode !== 0) return `rcode ${rcode}`;
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let off = 12;
  for (let i = 0; i < qd; i++) off = skipName(buf, off) + 4;
  const want = address.split('.').map(Number);
  for (let i = 0; i < an; i++) {
    off = skipName(buf, off);
    const type = buf.readUInt16BE(off);
    const rdlen = buf.readUInt16BE(off + 8);
    const rd = buf.subarray(off + 10, off + 10 + rdlen);
    if (type === 1 && rdlen === 4 && want.every((b, j) => rd[j] === b)) return null;
    off += 10 + rdlen;
  }
  return `no A ${address} among ${an} answers`;
}

/**
 * Asks for `name` A every `intervalMs` until a right answer arrives; resolves
 * with performance.now() at that answer. `isAlive()` false or the deadline
 * rejects. Used to time a server's start: from spawn to first right answer.
 */
export function waitForAnswer({ host, port, name, address, intervalMs = 10, deadline, isAlive }) {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    let id = Math.floor(Math.random() * 65536);
    let last = '';
    let timer;
    const done = (err, t) => {
      clearInterval(timer);
      sock.close();
      if (err) reject(err);
      else resolve(t);
    };
    sock.on('error', () => {
      /* ICMP unreachable and the like while the server starts: keep asking */
    });
    sock.on('message', (msg) => {
      const t = performance.now();
      const problem = checkAnswer(msg, id, address);
      if (problem === null) done(null, t);
      else if (problem !== 'other id') last = problem;
    });
    const ask = () => {
      if (!isAlive()) return done(new Error('exited before answering'));
      if (performance.now() > deadline)
        return done(
          new Error(`no right answer for ${name} A before the time limit${last ? ` (last: ${last})` : ''}`),
        );
      id = (id + 1) & 0xffff;
      sock.send(encodeQuery(name, 1, id), port, host, () => {});
    };
    sock.bind(0, '127.0.0.1', () => {
      ask();
      timer = setInterval(ask, intervalMs);
    });
  });
}

/** One query over TCP (RFC 7766 framing); resolves null when the answer is right, else the problem. */
export function tcpCheck({ host, port, name, address, timeoutMs = 5000 }) {
  return new Promise((resolve) => {
    const id = Math.floor(Math.random() * 65536);
    const q = encodeQuery(name, 1, id);
    const len = Buffer.from([q.length >> 8, q.length & 255]);
    let data = Buffer.alloc(0);
    const s = net.connect(port, host);
    const finish = (r) => {
      clearTimeout(t);
      s.destroy();
      resolve(r);
    };
    const t = setTimeout(() => finish('no answer over TCP'), timeoutMs);
    s.on('error', (e) => finish(`TCP: ${e.message}`));
    s.on('connect', () => s.write(Buffer.concat([len, q])));
    s.on('data', (d) => {
      data = Buffer.concat([data, d]);
      if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0))
        finish(checkAnswer(data.subarray(2, 2 + data.readUInt16BE(0)), id, address));
    });
  });
}
