import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../src/main/engine/postgres/connection.js';
import { InstrumentedPool } from '../src/main/engine/kinds/db/instrumented-pool.js';
import { runSerializable } from '../src/main/engine/kinds/db/serializable-retry.js';
import { DbPoolSettingsSchema } from '../src/shared/specs/db.js';
import { startTestDb, TestDb } from './fixtures/embedded-db.js';

let db: TestDb;
let pool: InstrumentedPool;
let other: pg.Client;

beforeAll(async () => {
  db = await startTestDb('db-retry');
  pool = new InstrumentedPool({ target: db.target, settings: DbPoolSettingsSchema.parse({ max: 2 }), slowQueryMs: 1_000 });
  other = await connectClient(db.target, 5_000);
  await other.query('CREATE SCHEMA IF NOT EXISTS tunebench');
  await other.query('CREATE TABLE tunebench.retry_account (id int PRIMARY KEY, balance int NOT NULL)');
  await other.query('INSERT INTO tunebench.retry_account VALUES (1, 100)');
});
afterAll(async () => {
  await other?.end();
  await pool?.end();
  await db?.dispose();
});

const policy = { maxRetries: 3, backoffBaseMs: 1, backoffMaxMs: 5 };
const random = () => 0.5;

/** Lets another transaction change the row between our read and our write: a certain 40001 at SERIALIZABLE. */
async function conflictingUpdate() {
  await other.query('UPDATE tunebench.retry_account SET balance = balance + 1 WHERE id = 1');
}

describe('serializable retry', () => {
  it('retries a transaction that hit a serialization failure and then commits', async () => {
    const attempts: number[] = [];
    const outcome = await runSerializable(pool, policy, random, async (client, attempt) => {
      attempts.push(attempt);
      const { rows } = await client.query<{ balance: number }>('SELECT balance FROM tunebench.retry_account WHERE id = 1');
      if (attempt === 0) await conflictingUpdate();
      await client.query('UPDATE tunebench.retry_account SET balance = $1 WHERE id = 1', [rows[0]!.balance - 10]);
    });
    expect(outcome).toEqual({ committed: true, retries: 1 });
    expect(attempts).toEqual([0, 1]);
    const { rows } = await other.query('SELECT balance FROM tunebench.retry_account WHERE id = 1');
    // 100, +1 by the other transaction, -10 by the retried one: no lost update.
    expect(rows[0].balance).toBe(91);
  });

  it('gives up after maxRetries and reports it as not committed', async () => {
    const outcome = await runSerializable(pool, policy, random, async (client) => {
      await client.query('SELECT balance FROM tunebench.retry_account WHERE id = 1');
      await conflictingUpdate();
      await client.query('UPDATE tunebench.retry_account SET balance = 0 WHERE id = 1');
    });
    expect(outcome).toEqual({ committed: false, retries: 3 });
    const { rows } = await other.query('SELECT balance FROM tunebench.retry_account WHERE id = 1');
    expect(rows[0].balance).toBe(95);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(
      runSerializable(pool, policy, random, async (client) => {
        calls += 1;
        await client.query('SELECT missing_column FROM tunebench.retry_account');
      }),
    ).rejects.toThrow('missing_column');
    expect(calls).toBe(1);
  });
});
