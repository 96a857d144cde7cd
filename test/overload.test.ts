import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './helpers.ts';

/**
 * Overload sheds instead of queueing: past BRUJULA_MAX_INFLIGHT requests at once, or while the
 * event loop lags past BRUJULA_MAX_EVENT_LOOP_DELAY_MS, requests get a fast 503 with Retry-After;
 * /health and /metrics always answer. Over real HTTP, as clients see it.
 */
describe('load shedding', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await testApp('pglite', { env: { BRUJULA_MAX_INFLIGHT: '4', BRUJULA_MAX_EVENT_LOOP_DELAY_MS: '200' } });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  }, 300_000);
  afterAll(async () => t?.close());

  it('answers 503 with Retry-After beyond the requests in flight, and serves again once they end', async () => {
    const heavy = `${url}/api/v1/municipalities/32056/indicators/OT-01/values.xlsx`;
    const all = await Promise.all(
      Array.from({ length: 30 }, () =>
        fetch(heavy).then(async (r) => ({ status: r.status, retry: r.headers.get('retry-after'), body: await r.text() })),
      ),
    );
    const shed = all.filter((r) => r.status === 503);
    expect(all.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(4);
    expect(shed.length).toBeGreaterThan(0);
    expect(shed.every((r) => r.retry === '2' && JSON.parse(r.body).code === 'BRJ_ERR_OVERLOADED')).toBe(true);
    // Nothing stays counted: the next requests, one at a time, are all served.
    for (let i = 0; i < 10; i++) expect((await fetch(heavy)).status).toBe(200);
    expect(t.app.inFlight()).toBe(0);
  });

  it('keeps /health and /metrics answering while it sheds', async () => {
    const slow = Array.from({ length: 20 }, () => fetch(`${url}/api/v1/municipalities/32056/indicators/OT-01/values.xlsx`));
    const health = await fetch(`${url}/health`);
    const metrics = await fetch(`${url}/metrics`);
    await Promise.all(slow);
    expect(health.status).toBe(200);
    expect(metrics.status).toBe(200);
  });

  it('sheds while the event loop lags, except the health check', async () => {
    // A loop that stays busy (250 ms of work between short breaks), as under CPU overload; under-pressure
    // samples the mean delay every second.
    const spin = setInterval(() => {
      const until = Date.now() + 250;
      while (Date.now() < until);
    }, 1);
    try {
      await new Promise((r) => setTimeout(r, 2200));
      const page = await fetch(`${url}/api/v1/municipalities`);
      const health = await fetch(`${url}/health`);
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('2');
      expect(health.status).toBe(200);
    } finally {
      clearInterval(spin);
    }
    // Once the loop is free again, requests are served.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await fetch(`${url}/api/v1/municipalities`)).status).toBe(200);
  }, 20_000);
});
