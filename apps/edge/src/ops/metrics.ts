// Query counters, kept in typed arrays: one increment per query, no labels
// built on the query path. /metrics renders them in the Prometheus format.
const TYPES: [number, string][] = [
  [1, 'A'],
  [2, 'NS'],
  [5, 'CNAME'],
  [6, 'SOA'],
  [12, 'PTR'],
  [15, 'MX'],
  [16, 'TXT'],
  [28, 'AAAA'],
  [33, 'SRV'],
  [43, 'DS'],
  [48, 'DNSKEY'],
  [64, 'SVCB'],
  [65, 'HTTPS'],
  [257, 'CAA'],
  [255, 'ANY'],
];
const OTHER = TYPES.length;
const TYPE_INDEX = new Int8Array(65536).fill(OTHER);
TYPES.forEach(([t], i) => (TYPE_INDEX[t] = i));

export const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export class Metrics {
  /** [transport 0 udp / 1 tcp][type index] */
  readonly byType = new Float64Array(2 * (OTHER + 1));
  /** rcode 0..15 */
  readonly byRcode = new Float64Array(16);
  dropped = 0;

  count(qtype: number, rcode: number, tcp: boolean): void {
    this.byType[(tcp ? OTHER + 1 : 0) + TYPE_INDEX[qtype]!]!++;
    this.byRcode[rcode]!++;
  }

  /** Adds another process's counters (workers report to the primary). */
  merge(other: { byType: ArrayLike<number>; byRcode: ArrayLike<number>; dropped: number }): void {
    for (let i = 0; i < this.byType.length; i++) this.byType[i]! += other.byType[i] ?? 0;
    for (let i = 0; i < this.byRcode.length; i++) this.byRcode[i]! += other.byRcode[i] ?? 0;
    this.dropped += other.dropped;
  }

  snapshot(): { byType: number[]; byRcode: number[]; dropped: number } {
    return { byType: [...this.byType], byRcode: [...this.byRcode], dropped: this.dropped };
  }

  /** Prometheus text lines for the query counters. */
  render(): string[] {
    const lines = [
      '# HELP herald_edge_queries_total DNS queries answered, by transport and query type.',
      '# TYPE herald_edge_queries_total counter',
    ];
    for (const [ti, transport] of ['udp', 'tcp'].entries())
      for (let i = 0; i <= OTHER; i++) {
        const v = this.byType[ti * (OTHER + 1) + i]!;
        if (v > 0)
          lines.push(
            `herald_edge_queries_total{transport="${transport}",qtype="${i === OTHER ? 'other' : TYPES[i]![1]}"} ${v}`,
          );
      }
    lines.push(
      '# HELP herald_edge_responses_total DNS responses, by rcode.',
      '# TYPE herald_edge_responses_total counter',
    );
    for (let r = 0; r < 16; r++) {
      const v = this.byRcode[r]!;
      if (v > 0) lines.push(`herald_edge_responses_total{rcode="${RCODE_NAMES[r] ?? String(r)}"} ${v}`);
    }
    lines.push(
      '# HELP herald_edge_dropped_total Datagrams too broken to answer.',
      '# TYPE herald_edge_dropped_total counter',
    );
    lines.push(`herald_edge_dropped_total ${this.dropped}`);
    return lines;
  }
}
