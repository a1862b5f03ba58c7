import { sqlState } from '../../postgres/connection.js';
import type { InstrumentedClient, InstrumentedPool } from './instrumented-pool.js';

/** serialization_failure and deadlock_detected: the transaction did nothing and may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);

export interface RetryPolicy {
  maxRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export type RetryOutcome = { committed: true; retries: number } | { committed: false; retries: number };

/**
 * Runs body inside BEGIN ISOLATION LEVEL SERIALIZABLE ... COMMIT, retrying on
 * 40001/40P01 with exponential backoff and full jitter, up to maxRetries.
 * Other errors are rethrown after ROLLBACK. Each attempt takes a fresh client.
 */
export async function runSerializable(
  pool: InstrumentedPool,
  policy: RetryPolicy,
  random: () => number,
  body: (client: InstrumentedClient, attempt: number) => Promise<void>,
): Promise<RetryOutcome> {
  for (let attempt = 0; ; attempt++) {
    try {
      await pool.withClient(async (client) => {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        try {
          await body(client, attempt);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      });
      return { committed: true, retries: attempt };
    } catch (error) {
      const state = sqlState(error);
      if (!state || !RETRYABLE.has(state)) throw error;
      if (attempt >= policy.maxRetries) return { committed: false, retries: attempt };
      // Full jitter: a random wait up to the exponential cap spreads the retrying transactions apart.
      const cap = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, random() * cap));
    }
  }
}
