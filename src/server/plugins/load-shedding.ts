import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ERRORS } from '../errors.ts';

/**
 * Under more load than the machine can serve, requests beyond a bounded number in flight — or any
 * while the event loop lags — get a fast 503 with Retry-After instead of waiting in an unbounded
 * queue (each waiting request keeps a socket, memory and a place in the database pool's queue).
 * /health and /metrics always answer, so monitoring sees the overload instead of a timeout.
 */
const EXEMPT = new Set(['/health', '/metrics']);
const RETRY_AFTER_S = 2;

function shed(reply: FastifyReply) {
  return reply
    .status(503)
    .header('retry-after', String(RETRY_AFTER_S))
    .header('cache-control', 'no-store')
    .send({ code: 'BRJ_ERR_OVERLOADED', message: ERRORS.BRJ_ERR_OVERLOADED.message });
}

const exempt = (req: FastifyRequest) => EXEMPT.has(req.routeOptions.url ?? '');

export default fp(
  async (app: FastifyInstance, opts: { maxInFlight: number; maxEventLoopDelayMs: number }) => {
    let inFlight = 0;
    app.decorate('inFlight', () => inFlight);
    app.addHook('onRequest', async (req, reply) => {
      if (exempt(req)) return;
      if (inFlight >= opts.maxInFlight) return shed(reply);
      inFlight++;
      // Counted down once, on whichever comes first: the response finished, the socket closed.
      let done = false;
      const release = () => {
        if (!done) {
          done = true;
          inFlight--;
        }
      };
      reply.raw.once('finish', release);
      reply.raw.once('close', release);
    });
    if (opts.maxEventLoopDelayMs > 0) {
      await app.register(underPressure, {
        maxEventLoopDelay: opts.maxEventLoopDelayMs,
        pressureHandler: (req, reply) => {
          if (!exempt(req)) shed(reply);
        },
      });
    }
  },
  { name: 'brujula-load-shedding' },
);

declare module 'fastify' {
  interface FastifyInstance {
    inFlight(): number;
  }
}
