/** The p-th percentile of a list of milliseconds, rounded to 0.01 ms (nearest-rank). */
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 100) / 100;
};

/**
 * Configuration of the in-process apps the route benchmarks measure: their load generator shares
 * the process, so load shedding would measure the generator, not the route (bench/overload.ts
 * measures shedding on its own, against a server in its own process).
 */
/** The middle value (the lower middle of an even count: the four references of an A/B/A run). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

export const BENCH_ENV = { LOG_LEVEL: 'silent', DATABASE_URL: '', BRUJULA_MAX_INFLIGHT: '100000', BRUJULA_MAX_EVENT_LOOP_DELAY_MS: '0' };
