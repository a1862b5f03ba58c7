import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callNames, calls, streamNames, streams } from '../src/shared/contract.js';

/**
 * The contract as data: every call with its request and response JSON
 * Schema, every stream with its payload schema. Any change to the contract
 * changes the committed snapshot, so it shows up in review.
 * After an intended change: npx vitest run test/contract-surface.test.ts -u
 */
function contractSurface() {
  return {
    calls: Object.fromEntries(
      callNames.map((name) => [
        name,
        {
          doc: calls[name].doc,
          request: z.toJSONSchema(calls[name].request, { io: 'input' }),
          response: z.toJSONSchema(calls[name].response, { io: 'output' }),
        },
      ]),
    ),
    streams: Object.fromEntries(streamNames.map((name) => [name, z.toJSONSchema(streams[name], { io: 'output' })])),
  };
}

describe('contract surface', () => {
  it('matches the committed snapshot of call and stream schemas', async () => {
    await expect(`${JSON.stringify(contractSurface(), null, 2)}\n`).toMatchFileSnapshot(
      '__snapshots__/contract-surface.json',
    );
  });

  it('lists every call and stream by name', () => {
    const surface = contractSurface();
    expect(Object.keys(surface.calls)).toEqual(callNames);
    expect(Object.keys(surface.streams)).toEqual(streamNames);
  });
});
