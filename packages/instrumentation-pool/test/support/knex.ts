import type { Knex } from 'knex';
import type { PostgresServer } from '@dyntel/test-support';
import type { Harness } from './harness';
import type { TarnModule, TarnResource } from './tarn';
import type * as Tarn from 'tarn';

/** The knex function, as CJS exports or an ESM namespace hand it out. */
export type KnexFunction = (config: Knex.Config) => Knex;

/** Loads tarn and knex through the harness (both patched), required or imported. */
export type KnexLoader = (h: Harness) => Promise<KnexFunction>;

/** knex and the tarn under it, required then patched as the require hook would. */
export const requireKnex: KnexLoader = async (h) => {
  h.require<TarnModule>('tarn');
  return h.require<KnexFunction>('knex');
};

/** knex and the tarn under it, imported then patched as the import hook would. */
export const importKnex: KnexLoader = async (h) => {
  await h.import<TarnModule>('tarn');
  return (await h.import<{ default: KnexFunction }>('knex')).default;
};

/** A knex on the pure-JS pg driver against `server`, with `pool` and `extra` over the defaults. */
export function pgKnex(knex: KnexFunction, server: PostgresServer, pool: Knex.PoolConfig, extra: Partial<Knex.Config> = {}): Knex {
  const { host, port, user, password, database } = server;
  return knex({ client: 'pg', connection: { host, port, user, password, database }, pool, ...extra });
}

/** The pool name the contract derives for `server`'s database. */
export function derivedName(server: PostgresServer): string {
  return `${server.host}:${server.port}/${server.database}`;
}

/** The tarn pool knex created. */
export function tarnPoolOf(db: Knex): Tarn.Pool<TarnResource> {
  return db.client.pool as Tarn.Pool<TarnResource>;
}
