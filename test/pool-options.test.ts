import { describe, expect, it } from 'vitest';
import { PiscinaPool } from '../src/main/engine/kinds/pool/piscina-pool.js';
import { SimplePool } from '../src/main/engine/kinds/pool/simple-pool.js';
import { workerFileFor, type PoolOptions } from '../src/main/engine/kinds/pool/task-pool.js';
import { implementations, workersDir } from './fixtures/pools.js';

describe.each(implementations)('%s pool: options', (implementation) => {
  const Pool = implementation === 'simple' ? SimplePool : PiscinaPool;
  const valid: PoolOptions = { workerFile: workerFileFor(implementation, workersDir), threads: 1, maxQueue: 0 };

  function refusal(options: Partial<PoolOptions>): { code: string; message: string } {
    try {
      void new Pool({ ...valid, ...options } as PoolOptions).dispose();
    } catch (error) {
      return error as { code: string; message: string };
    }
    throw new Error('expected the constructor to throw');
  }

  it.each([
    [{ threads: 0 }, 'threads must be an integer from 1 to 64'],
    [{ threads: 65 }, 'threads must be an integer from 1 to 64'],
    [{ threads: 1.5 }, 'threads must be an integer from 1 to 64'],
    [{ maxQueue: -1 }, 'maxQueue must be an integer from 0 to 1000000'],
    [{ maxQueue: Number.NaN }, 'maxQueue must be an integer from 0 to 1000000'],
    [{ maxOldGenerationMb: 8 }, 'maxOldGenerationMb must be an integer from 16 to 16384'],
    [{ workerFile: '' }, 'workerFile must be the path of a built worker file'],
  ])('refuses %o with TB_OPTION_OUT_OF_RANGE', (options, message) => {
    expect(refusal(options)).toMatchObject({ code: 'TB_OPTION_OUT_OF_RANGE', message });
  });

  it('names a missing worker file and the command that builds it', () => {
    expect(refusal({ workerFile: '/nonexistent/pool-worker.js' })).toMatchObject({
      code: 'TB_NOT_BUILT',
      message: '/nonexistent/pool-worker.js is missing: build the workers first (npm run build)',
    });
  });
});
