// A small UDP DNS load generator for bench/edge (run.mjs compiles it with
// gcc -O2 at run time). dnsperf tops out near 150k qps on one core here, below
// what Knot and NSD answer with one core, so it cannot measure them.
//
// Design: every query of the query file is encoded once up front. A few
// connected UDP sockets send with sendmmsg and receive with recvmmsg in
// batches, in one thread meant to be pinned to a core of its own. It
// busy-polls while there is work and blocks in ppoll after 30 us without any
// (until an answer arrives or the next send is due), so on a shared core the
// scheduler still favours it when answers come in. Each socket has 65536 query-id slots holding the query
// index and the send time, so every answer is matched by (socket, id): the
// answer must have QR set, the same id, the same question (compared without
// regard to case; a changed case is counted apart), and an rcode/answer count
// that matches what the query file expects (a = answer, d = NODATA,
// x = NXDOMAIN). A query unanswered after the timeout counts as lost.
//
// Modes:
//   -m sat   keep a window of -w outstanding queries (refilled as answers
//            arrive): the saturating throughput.
//   -m rate  send at a fixed rate -r (queries/s) regardless of answers and
//            time each answer (kernel receive timestamp minus the time just
//            before sendmmsg): latency percentiles at that rate.
// Both run -W seconds of warm-up (not counted), then -d seconds measured, then
// wait up to the timeout for the last answers. One JSON object on stdout.
//
// Usage: loadgen -s 127.0.0.1 -p 5300 -f queries.txt [-m sat|rate] [-d 10]
//          [-W 1] [-r 50000] [-w 512] [-b 64] [-n 2] [-t 1000] [-E]
//   -E: no EDNS OPT record (by default every query carries EDNS0, 1232 bytes).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MAXSOCK 16
#define MAXBATCH 256
#define SLOTS 65536
#define RBUF 4096
#define MAXSEC 3600
#define SPIN_NS 30000ull // busy-poll this long after the last work before blocking

typedef struct {
  uint32_t qi;   // query index
  uint32_t seq;  // send sequence number + 1; 0 = free
  uint64_t sent; // ns
} slot_t;

typedef struct {
  uint8_t sock;
  uint16_t id;
  uint32_t seq;
  uint64_t sent;
} pending_t;

static uint8_t *qbuf;     // all encoded queries back to back
static uint32_t *qoff;    // offset of query i in qbuf
static uint16_t *qlen;    // its length
static uint16_t *qqlen;   // length of its question section (name + type + class)
static char *qexp;        // 'a', 'd', 'x'
static uint32_t nq;

static slot_t *slots[MAXSOCK];
static uint16_t next_id[MAXSOCK];
static pending_t *ring; // send order, for timeouts
static uint32_t ring_cap, ring_head, ring_tail;
static uint32_t seq_counter;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts); // REALTIME: comparable with SO_TIMESTAMPNS
  return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int qtype_of(const char *t) {
  static const struct { const char *n; int v; } tab[] = {
      {"A", 1},   {"NS", 2},   {"CNAME", 5}, {"SOA", 6},  {"PTR", 12}, {"MX", 15},
      {"TXT", 16}, {"AAAA", 28}, {"SRV", 33},  {"DS", 43}, {"DNSKEY", 48}, {"CAA", 257},
  };
  for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
    if (!strcasecmp(t, tab[i].n)) return tab[i].v;
  if (!strncasecmp(t, "TYPE", 4)) return atoi(t + 4);
  return -1;
}

static void load_queries(const char *file, int edns) {
  FILE *f = fopen(file, "r");
  if (!f) { perror(file); exit(2); }
  size_t cap = 1 << 20, qcap = 1 << 16, used = 0;
  qbuf = malloc(cap);
  qoff = malloc(qcap * 4); qlen = malloc(qcap * 2); qqlen = malloc(qcap * 2); qexp = malloc(qcap);
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    char name[600], type[32], exp[8] = "a";
    int k = sscanf(line, "%599s %31s %7s", name, type, exp);
    if (k < 2 || name[0] == '#') continue;
    int qt = qtype_of(type);
    if (qt < 0) { fprintf(stderr, "unknown type %s\n", type); exit(2); }
    if (used + 600 > cap) { cap *= 2; qbuf = realloc(qbuf, cap); }
    if (nq == qcap) {
      qcap *= 2;
      qoff = realloc(qoff, qcap * 4); qlen = realloc(qlen, qcap * 2);
      qqlen = realloc(qqlen, qcap * 2); qexp = realloc(qexp, qcap);
    }
    uint8_t *p = qbuf + used, *w = p;
    // header: id 0, flags 0 (no RD: these are authoritative servers), qd 1, ar edns
    memset(w, 0, 12); w[5] = 1; w[11] = edns ? 1 : 0; w += 12;
    uint8_t *qs = w;
    const char *s = name;
    if (!strcmp(s, ".")) s = "";
    while (*s) {
      const char *dot = strchr(s, '.');
      size_t l = dot ? (size_t)(dot - s) : strlen(s);
      if (l == 0 || l > 63) { fprintf(stderr, "bad name %s\n", name); exit(2); }
      *w++ = (uint8_t)l; memcpy(w, s, l); w += l;
      s += l; if (*s == '.') s++;
    }
    *w++ = 0;
    *w++ = qt >> 8; *w++ = qt & 255; *w++ = 0; *w++ = 1;
    uint16_t ql = (uint16_t)(w - qs);
    if (edns) { // root name, OPT, 1232, ext rcode/version/flags 0, rdlen 0
      static const uint8_t opt[11] = {0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0};
      memcpy(w, opt, 11); w += 11;
    }
    qoff[nq] = (uint32_t)used; qlen[nq] = (uint16_t)(w - p); qqlen[nq] = ql;
    qexp[nq] = exp[0];
    nq++;
    used += w - p;
  }
  fclose(f);
  if (!nq) { fprintf(stderr, "no queries in %s\n", file); exit(2); }
}

// ---------------------------------------------------------------- counters
typedef struct {
  uint64_t sent, answers, in_window, lost, late, notqr, badq, casechg, tc, unexpected, short_;
  uint64_t rcode[16];
  uint64_t rbytes;
  uint64_t senderr;
} stats_t;
static stats_t st_warm, st_meas, *st;

static uint64_t per_sec[MAXSEC]; // answers per whole second of the measured phase
static uint32_t *lat; // latencies (ns) of the measured phase, rate mode
// The same latencies as a log-linear histogram (about 3 % wide buckets) that
// run.mjs can add up over several runs: values below 64 ns have a bucket each,
// above that 32 buckets per power of two.
#define HBUCKETS 896
static uint64_t hist[HBUCKETS];
static unsigned hbucket(uint32_t v) {
  if (v < 64) return v;
  unsigned e = 31 - __builtin_clz(v), shift = e - 5, m = v >> shift;
  return 64 + (shift - 1) * 32 + (m - 32);
}
static size_t nlat, lat_cap;

static int same_nocase(const uint8_t *a, const uint8_t *b, unsigned n) {
  for (unsigned i = 0; i < n; i++) {
    uint8_t x = a[i], y = b[i];
    if (x != y && ((x | 0x20) != (y | 0x20) || (x | 0x20) < 'a' || (x | 0x20) > 'z')) return 0;
  }
  return 1;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  const char *server = "127.0.0.1", *file = NULL, *mode = "sat";
  int port = 53, nsock = 2, batch = 64, window = 512, timeout_ms = 1000, edns = 1;
  double dur = 10, warm = 1, rate = 50000;
  int c;
  while ((c = getopt(argc, argv, "s:p:f:m:d:W:r:w:b:n:t:E")) != -1) {
    switch (c) {
    case 's': server = optarg; break;
    case 'p': port = atoi(optarg); break;
    case 'f': file = optarg; break;
    case 'm': mode = optarg; break;
    case 'd': dur = atof(optarg); break;
    case 'W': warm = atof(optarg); break;
    case 'r': rate = atof(optarg); break;
    case 'w': window = atoi(optarg); break;
    case 'b': batch = atoi(optarg); break;
    case 'n': nsock = atoi(optarg); break;
    case 't': timeout_ms = atoi(optarg); break;
    case 'E': edns = 0; break;
    default: fprintf(stderr, "see the comment at the top of loadgen.c\n"); return 2;
    }
  }
  int is_rate = !strcmp(mode, "rate");
  int min_chunk = window / 8 < 1 ? 1 : window / 8 > batch ? batch : window / 8;
  if (!file || (!is_rate && strcmp(mode, "sat")) || nsock < 1 || nsock > MAXSOCK || batch < 1 ||
      batch > MAXBATCH || window < 1 || rate <= 0 || dur <= 0) {
    fprintf(stderr, "bad arguments; see the comment at the top of loadgen.c\n");
    return 2;
  }
  load_queries(file, edns);

  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
  if (inet_pton(AF_INET, server, &sa.sin_addr) != 1) { fprintf(stderr, "bad address %s\n", server); return 2; }
  int fds[MAXSOCK];
  for (int i = 0; i < nsock; i++) {
    fds[i] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int sz = 4 << 20, one = 1;
    if (setsockopt(fds[i], SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof sz) < 0)
      setsockopt(fds[i], SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
    if (setsockopt(fds[i], SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof sz) < 0)
      setsockopt(fds[i], SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
    if (is_rate) setsockopt(fds[i], SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    if (connect(fds[i], (struct sockaddr *)&sa, sizeof sa) < 0) { perror("connect"); return 2; }
    slots[i] = calloc(SLOTS, sizeof(slot_t));
    next_id[i] = (uint16_t)(i * 7919);
  }
  ring_cap = 1u << 22; // entries stay until the head passes them: room for seconds of sends
  ring = malloc(sizeof(pending_t) * ring_cap);
  if (is_rate) {
    lat_cap = (size_t)(rate * dur * 1.05) + 1024;
    lat = malloc(lat_cap * sizeof *lat);
  }

  // Per-batch send buffers: queries are copied so the id can be set.
  static uint8_t sbuf[MAXBATCH][600];
  static struct iovec siov[MAXBATCH];
  static struct mmsghdr smsg[MAXBATCH];
  static uint16_t sid[MAXBATCH];
  static uint32_t sqi[MAXBATCH];
  static uint8_t rbuf[MAXBATCH][RBUF];
  static struct iovec riov[MAXBATCH];
  static struct mmsghdr rmsg[MAXBATCH];
  static char rctl[MAXBATCH][64];
  for (int i = 0; i < MAXBATCH; i++) {
    siov[i].iov_base = sbuf[i];
    smsg[i].msg_hdr.msg_iov = &siov[i]; smsg[i].msg_hdr.msg_iovlen = 1;
    riov[i].iov_base = rbuf[i]; riov[i].iov_len = RBUF;
    rmsg[i].msg_hdr.msg_iov = &riov[i]; rmsg[i].msg_hdr.msg_iovlen = 1;
  }

  uint64_t timeout = (uint64_t)timeout_ms * 1000000ull;
  uint64_t t0 = now_ns();
  uint64_t t_meas = t0 + (uint64_t)(warm * 1e9);
  uint64_t t_end = t_meas + (uint64_t)(dur * 1e9);
  uint64_t t_stop = t_end + timeout + 1000000ull;
  uint32_t qcur = 0;
  uint64_t outstanding = 0, total_sent = 0;
  int sock_rr = 0;
  st = warm > 0 ? &st_warm : &st_meas;

  struct pollfd pfds[MAXSOCK];
  for (int i = 0; i < nsock; i++) pfds[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
  prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0); // wake up within a microsecond of the requested time
  uint64_t last_work = t0;
  uint64_t idle_ns = 0, busy_ns = 0; // measured phase: loop time that neither sent nor received
  for (;;) {
    uint64_t now = now_ns();
    uint64_t iter_start = now;
    int did = 0;
    if (st == &st_warm && now >= t_meas) st = &st_meas;
    int sending = now < t_end;
    if (!sending && (outstanding == 0 || now >= t_stop)) break;

    // --- send
    if (sending) {
      int64_t want;
      if (is_rate) {
        uint64_t due = (uint64_t)((double)(now - t0) * rate / 1e9);
        want = (int64_t)(due - total_sent);
      } else {
        want = (int64_t)window - (int64_t)outstanding;
        // wait until a few slots are free: fewer, fuller sendmmsg calls
        if (want < min_chunk) want = 0;
      }
      if (want > batch) want = batch;
      if (want > 0) {
        int s = sock_rr;
        sock_rr = (sock_rr + 1) % nsock;
        int k = 0;
        for (; k < want; k++) {
          // next free id on this socket (a slot still in use is an outstanding query)
          int tries = 0;
          while (slots[s][next_id[s]].seq && tries < 1024) { next_id[s]++; tries++; }
          if (slots[s][next_id[s]].seq) break;
          uint16_t id = next_id[s]++;
          uint32_t qi = qcur; qcur = qcur + 1 == nq ? 0 : qcur + 1;
          memcpy(sbuf[k], qbuf + qoff[qi], qlen[qi]);
          sbuf[k][0] = id >> 8; sbuf[k][1] = id & 255;
          siov[k].iov_len = qlen[qi];
          sid[k] = id; sqi[k] = qi;
        }
        if (k > 0) {
          uint64_t ts = now_ns();
          int n = sendmmsg(fds[s], smsg, k, MSG_DONTWAIT);
          if (n < 0) { st->senderr++; n = 0; }
          for (int j = 0; j < n; j++) {
            uint32_t sq = ++seq_counter;
            if (!sq) sq = ++seq_counter;
            slot_t *sl = &slots[s][sid[j]];
            sl->qi = sqi[j]; sl->seq = sq; sl->sent = ts;
            uint32_t nt = ring_tail + 1 == ring_cap ? 0 : ring_tail + 1;
            if (nt == ring_head) { // ring full: give up on the oldest entry
              pending_t *old = &ring[ring_head];
              slot_t *os = &slots[old->sock][old->id];
              if (os->seq == old->seq) { os->seq = 0; outstanding--; st->lost++; }
              ring_head = ring_head + 1 == ring_cap ? 0 : ring_head + 1;
            }
            pending_t *pe = &ring[ring_tail];
            pe->sock = s; pe->id = sid[j]; pe->seq = sq; pe->sent = ts;
            ring_tail = ring_tail + 1 == ring_cap ? 0 : ring_tail + 1;
          }
          // queries not sent (socket buffer full) are simply not counted; the cursor moves back
          for (int j = n; j < k; j++) qcur = qcur == 0 ? nq - 1 : qcur - 1;
          outstanding += n; total_sent += n; st->sent += n;
          did |= n > 0;
        }
      }
    }

    // --- receive
    for (int s = 0; s < nsock; s++) {
      for (int round = 0; round < 4; round++) {
        for (int j = 0; j < batch; j++) {
          rmsg[j].msg_hdr.msg_control = is_rate ? rctl[j] : NULL;
          rmsg[j].msg_hdr.msg_controllen = is_rate ? sizeof rctl[j] : 0;
        }
        int n = recvmmsg(fds[s], rmsg, batch, MSG_DONTWAIT, NULL);
        if (n <= 0) break;
        uint64_t rt = now_ns();
        did = 1;
        for (int j = 0; j < n; j++) {
          const uint8_t *r = rbuf[j];
          unsigned len = rmsg[j].msg_len;
          if (len < 12) { st->short_++; continue; }
          uint16_t id = (uint16_t)(r[0] << 8 | r[1]);
          slot_t *sl = &slots[s][id];
          if (!sl->seq) { st->late++; continue; } // after its timeout, or never sent
          if (!(r[2] & 0x80)) { st->notqr++; continue; }
          uint32_t qi = sl->qi;
          const uint8_t *q = qbuf + qoff[qi];
          unsigned ql = qqlen[qi];
          // same id: the question must match too (case aside), or this is some other answer
          if (len < 12u + ql || r[4] != 0 || r[5] != 1 || !same_nocase(r + 12, q + 12, ql)) { st->badq++; continue; }
          if (memcmp(r + 12, q + 12, ql) != 0) st->casechg++;
          sl->seq = 0;
          outstanding--;
          st->answers++;
          if (rt < t_end && rt >= t_meas) {
            st_meas.in_window++;
            uint64_t sec = (rt - t_meas) / 1000000000ull;
            if (sec < MAXSEC) per_sec[sec]++;
          }
          st->rbytes += len;
          unsigned rc = r[3] & 15, an = (unsigned)(r[6] << 8 | r[7]);
          st->rcode[rc]++;
          if (r[2] & 0x02) st->tc++;
          char e = qexp[qi];
          int ok = (e == 'a' && rc == 0 && an > 0) || (e == 'd' && rc == 0 && an == 0) || (e == 'x' && rc == 3);
          if (!ok) st->unexpected++;
          if (is_rate && st == &st_meas && sl->sent >= t_meas && nlat < lat_cap) {
            uint64_t at = rt;
            struct msghdr *mh = &rmsg[j].msg_hdr;
            for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm))
              if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
                struct timespec kts;
                memcpy(&kts, CMSG_DATA(cm), sizeof kts);
                at = (uint64_t)kts.tv_sec * 1000000000ull + kts.tv_nsec;
              }
            uint64_t l = at > sl->sent ? at - sl->sent : 0;
            uint32_t l32 = l > 0xffffffffu ? 0xffffffffu : (uint32_t)l;
            lat[nlat++] = l32;
            hist[hbucket(l32)]++;
          }
        }
        if (n < batch) break;
      }
    }

    // --- timeouts (the ring is in send order)
    now = now_ns();
    while (ring_head != ring_tail) {
      pending_t *pe = &ring[ring_head];
      slot_t *sl = &slots[pe->sock][pe->id];
      if (sl->seq == pe->seq) {
        if (now - pe->sent < timeout) break;
        sl->seq = 0;
        outstanding--;
        (pe->sent >= t_meas ? &st_meas : &st_warm)->lost++;
      }
      ring_head = ring_head + 1 == ring_cap ? 0 : ring_head + 1;
    }
    // Nothing to do for a while: block until an answer arrives or the next send is due, instead
    // of spinning, so that on a shared core the scheduler favours us when there is work.
    if (did) last_work = now;
    else if (now - last_work > SPIN_NS) {
      uint64_t wait = 1000000; // 1 ms at most: timeouts and the end of the run are checked each round
      if (sending && is_rate) {
        uint64_t next = t0 + (uint64_t)((double)(total_sent + 1) * 1e9 / rate);
        wait = next > now ? next - now : 0;
        if (wait > 1000000) wait = 1000000;
      }
      if (wait > 5000) {
        struct timespec ts = {0, (long)(wait - 2000)};
        ppoll(pfds, nsock, &ts, NULL);
        now = now_ns();
      }
    }
    if (iter_start >= t_meas && iter_start < t_end) *(did ? &busy_ns : &idle_ns) += now - iter_start;
  }
  // whatever is still outstanding at the stop is lost
  while (ring_head != ring_tail) {
    pending_t *pe = &ring[ring_head];
    slot_t *sl = &slots[pe->sock][pe->id];
    if (sl->seq == pe->seq) { sl->seq = 0; (pe->sent >= t_meas ? &st_meas : &st_warm)->lost++; }
    ring_head = ring_head + 1 == ring_cap ? 0 : ring_head + 1;
  }

  stats_t *m = &st_meas;
  double secs = dur;
  printf("{\"mode\":\"%s\",\"seconds\":%.3f,\"queries_in_file\":%u,\"sent\":%llu,\"answers\":%llu,"
         "\"qps\":%.1f,\"answers_in_window\":%llu,\"lost\":%llu,\"late\":%llu,\"not_qr\":%llu,\"bad_question\":%llu,"
         "\"case_changed\":%llu,\"truncated\":%llu,\"unexpected\":%llu,\"short\":%llu,\"send_errors\":%llu,"
         "\"avg_answer_bytes\":%.1f,\"rcodes\":{\"NOERROR\":%llu,\"SERVFAIL\":%llu,\"NXDOMAIN\":%llu,"
         "\"REFUSED\":%llu,\"other\":%llu},\"warmup\":{\"sent\":%llu,\"answers\":%llu,\"unexpected\":%llu}",
         mode, secs, nq, (unsigned long long)m->sent, (unsigned long long)m->answers, m->in_window / secs, (unsigned long long)m->in_window,
         (unsigned long long)m->lost, (unsigned long long)m->late,
         (unsigned long long)m->notqr, (unsigned long long)m->badq, (unsigned long long)m->casechg,
         (unsigned long long)m->tc, (unsigned long long)m->unexpected, (unsigned long long)m->short_,
         (unsigned long long)m->senderr, m->answers ? (double)m->rbytes / m->answers : 0.0,
         (unsigned long long)m->rcode[0], (unsigned long long)m->rcode[2], (unsigned long long)m->rcode[3],
         (unsigned long long)m->rcode[5],
         (unsigned long long)(m->answers - m->rcode[0] - m->rcode[2] - m->rcode[3] - m->rcode[5]),
         (unsigned long long)st_warm.sent, (unsigned long long)st_warm.answers,
         (unsigned long long)st_warm.unexpected);
  if (is_rate) {
    qsort(lat, nlat, sizeof *lat, cmp_u32);
    double sum = 0;
    for (size_t i = 0; i < nlat; i++) sum += lat[i];
#define PCT(p) (nlat ? lat[(size_t)((p) * (nlat - 1) + 0.5)] / 1e6 : 0.0)
    printf(",\"rate\":%.0f,\"offered_qps\":%.1f,\"latency_ms\":{\"samples\":%zu,\"mean\":%.4f,\"p50\":%.4f,"
           "\"p90\":%.4f,\"p99\":%.4f,\"p999\":%.4f,\"max\":%.4f}",
           rate, m->sent / secs, nlat, nlat ? sum / nlat / 1e6 : 0.0, PCT(0.5), PCT(0.9), PCT(0.99),
           PCT(0.999), nlat ? lat[nlat - 1] / 1e6 : 0.0);
    printf(",\"histogram\":[");
    for (int i = 0, first = 1; i < HBUCKETS; i++)
      if (hist[i]) { printf("%s[%d,%llu]", first ? "" : ",", i, (unsigned long long)hist[i]); first = 0; }
    printf("]");
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf(",\"per_second\":[");
  for (int i = 0; i < (int)dur && i < MAXSEC; i++) printf("%s%llu", i ? "," : "", (unsigned long long)per_sec[i]);
  printf("],\"loadgen_cpu_seconds\":%.3f", ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
  printf(",\"loadgen_idle_fraction\":%.3f}\n", idle_ns + busy_ns ? (double)idle_ns / (idle_ns + busy_ns) : 0.0);
  return 0;
}
