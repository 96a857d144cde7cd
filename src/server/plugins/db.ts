import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/connection.ts';
import type { DB } from '../db/types.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Readonly<Config>;
    database: Database;
    db: Kysely<DB>;
  }
}

/** Exposes config and the database to every module; the caller owns opening and closing it. */
export default fp<{ config: Readonly<Config>; database: Database }>(
  async (app, opts) => {
    app.decorate('config', opts.config);
    app.decorate('database', opts.database);
    app.decorate('db', opts.database.db);
  },
  { name: 'brujula-db' },
);
