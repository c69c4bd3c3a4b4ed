import { describe, expect, it } from 'vitest';
import { knexPoolName } from './knex-pool-name';

describe('knexPoolName', () => {
  it('is host:port/database from a connection object, with what it has of them', () => {
    expect(knexPoolName({ host: 'db.internal', port: 5432, database: 'orders', user: 'app', password: 'hunter2' })).toBe('db.internal:5432/orders');
    expect(knexPoolName({ host: 'db.internal', database: 'orders' })).toBe('db.internal/orders');
    expect(knexPoolName({ host: 'db.internal', port: '6432' })).toBe('db.internal:6432');
    expect(knexPoolName({ server: 'mssql.internal', port: 1433, database: 'crm' })).toBe('mssql.internal:1433/crm');
  });

  it('reads a connectionString URL without its user or password', () => {
    expect(knexPoolName({ connectionString: 'postgres://app:hunter2@db.internal:5433/orders?sslmode=disable' })).toBe('db.internal:5433/orders');
    expect(knexPoolName({ connectionString: 'not a url' })).toBeUndefined();
  });

  it('never keeps credentials written into the host, and brackets an IPv6 host', () => {
    expect(knexPoolName({ host: 'app:hunter2@db.internal', port: 5432 })).toBe('db.internal:5432');
    expect(knexPoolName({ host: '::1', port: 5432, database: 'x' })).toBe('[::1]:5432/x');
  });

  it('is undefined without a host (a SQLite file, settings not resolved yet)', () => {
    expect(knexPoolName({ filename: ':memory:' })).toBeUndefined();
    expect(knexPoolName(undefined)).toBeUndefined();
    expect(knexPoolName({ host: '' })).toBeUndefined();
  });
});
