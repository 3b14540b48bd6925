/**
 * Read-your-writes waits under load, against a running app (not part of `npm run bench`):
 *
 *   node --import tsx test/bench/read-your-writes-waits.ts http://127.0.0.1:3121 [waiters] [rounds]
 *
 * Start the app on the embedded store with demo data and `PROJECTIONS=off` (nothing applies new
 * events, so a position past the head is never reached). Each round sends `waiters` concurrent
 * `GET /signals?minPosition=<head + 1000>&limit=1` (each waits its 2 s budget, then answers with
 * `X-Read-Model-Stale: true`) while `GET /health` is asked every 50 ms; then prints the reads'
 * durations, how many came back stale, and the /health latencies meanwhile. Logs in once as the
 * demo lead processor of gent.
 */
const base = process.argv[2] ?? 'http://127.0.0.1:3121';
const waiters = Number(process.argv[3] ?? 300);
const rounds = Number(process.argv[4] ?? 3);

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ms = (value: number) => `${Math.round(value)} ms`;

async function login(): Promise<string> {
  const response = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      tenant: 'gent',
      email: 'coordinator@gent.demo',
      password: 'demo-wachtwoord-2026',
    }),
  });
  if (!response.ok) throw new Error(`login: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

interface Health {
  eventStore: { lastPosition?: string };
  projections: { checkpoint: string | null }[];
}

async function health(): Promise<Health> {
  return (await (await fetch(`${base}/health`)).json()) as Health;
}

/** The event store's head (process workflows may append while the read models stand still). */
async function head(): Promise<bigint> {
  return BigInt((await health()).eventStore.lastPosition ?? '0');
}

/** The position every read model has applied. */
async function applied(): Promise<bigint> {
  const checkpoints = (await health()).projections.map((p) => BigInt(p.checkpoint ?? '0'));
  return checkpoints.reduce((min, c) => (c < min ? c : min));
}

async function round(token: string, minPosition: bigint | null) {
  const health: number[] = [];
  /** /health asked while the reads wait (begun within 1.8 s, before their 2 s budget ends). */
  const waiting: number[] = [];
  let reading = true;
  const roundStarted = performance.now();
  const probe = (async () => {
    while (reading) {
      const started = performance.now();
      await (await fetch(`${base}/health`)).arrayBuffer();
      health.push(performance.now() - started);
      if (started - roundStarted < 1800) waiting.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const started = performance.now();
  const reads = await Promise.all(
    Array.from({ length: waiters }, async () => {
      const t0 = performance.now();
      const query = minPosition === null ? '' : `&minPosition=${minPosition}`;
      const response = await fetch(`${base}/signals?limit=1${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`GET /signals: ${response.status}`);
      return { ms: performance.now() - t0, stale: response.headers.get('x-read-model-stale') === 'true' };
    }),
  );
  const wall = performance.now() - started;
  reading = false;
  await probe;
  const durations = reads.map((read) => read.ms);
  return {
    wall,
    stale: reads.filter((read) => read.stale).length,
    read: { p50: percentile(durations, 50), p95: percentile(durations, 95), max: Math.max(...durations) },
    health: {
      n: health.length,
      p50: percentile(health, 50),
      p95: percentile(health, 95),
      max: Math.max(...health),
    },
    waiting: { n: waiting.length, p50: percentile(waiting, 50), max: Math.max(...waiting) },
  };
}

const token = await login();
const future = (await head()) + 1000n;
console.log(`${waiters} concurrent reads waiting for position ${future} (never reached), ${rounds} rounds`);
for (let i = 1; i <= rounds; i++) {
  const r = await round(token, future);
  console.log(
    `round ${i}: all answered in ${ms(r.wall)}; stale ${r.stale}/${waiters}; ` +
      `read p50 ${ms(r.read.p50)} p95 ${ms(r.read.p95)} max ${ms(r.read.max)}; ` +
      `/health (${r.health.n}×) p50 ${ms(r.health.p50)} p95 ${ms(r.health.p95)} max ${ms(r.health.max)}; ` +
      `/health in the first 1.8 s (${r.waiting.n}×) p50 ${ms(r.waiting.p50)} max ${ms(r.waiting.max)}`,
  );
}
for (const [label, position] of [
  ['no minPosition', null],
  ['reached minPosition', await applied()],
] as const) {
  const r = await round(token, position);
  console.log(
    `${label} (${waiters} concurrent): all answered in ${ms(r.wall)}; stale ${r.stale}/${waiters}; ` +
      `read p50 ${ms(r.read.p50)} p95 ${ms(r.read.p95)} max ${ms(r.read.max)}; ` +
      `/health (${r.health.n}×) p50 ${ms(r.health.p50)} p95 ${ms(r.health.p95)} max ${ms(r.health.max)}`,
  );
}
