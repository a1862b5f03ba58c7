import { describe, expect, it } from 'vitest';
import { tunebench } from './fixtures/built.js';

describe('tunebench usage', () => {
  it('prints usage for help and --help with exit 0', async () => {
    for (const args of [['help'], ['--help'], ['run', '--help']]) {
      const result = await tunebench(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toContain('tunebench run <spec.json>');
    }
  });

  it('answers an unknown command or option with the usage and exit 2', async () => {
    const command = await tunebench(['launch']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "launch"');
    expect(command.stderr).toContain('Commands:');

    const option = await tunebench(['runs', '--colour']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--colour'");
  });
});
