/**
 * Each test gets its own data directory and its own web host process
 * (`node out/main/web.js --port 0`), killed after the test. `webHost.restart()`
 * starts a fresh process on the same data directory, as a user reopening the
 * app would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';

const repoRoot = path.resolve(import.meta.dirname, '..');
const webEntry = path.join(repoRoot, 'out/main/web.js');
const READY_LINE = /Tunebench is serving at (\S+)/;
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

class WebHostProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly output: () => string,
  ) {}

  static async start(dataDir: string): Promise<WebHostProcess> {
    if (!existsSync(webEntry)) throw new Error(`${webEntry} does not exist: run npm run build first`);
    const child = spawn(process.execPath, [webEntry, '--port', '0'], {
      cwd: repoRoot,
      env: { ...process.env, TUNEBENCH_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => fail(`no "Tunebench is serving at" line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`The web host did not start: ${why}\n${output}`));
      };
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const match = READY_LINE.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('error', (error) => fail(error.message));
      child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
    });
    return new WebHostProcess(child, url, () => output);
  }

  /** Everything the host printed, for failure messages. */
  get log(): string {
    return this.output();
  }

  /** Asks the host to stop (it saves active runs), then forces it if it hangs. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

export interface WebHost {
  /** The URL the host printed, with its session token. */
  readonly url: string;
  readonly dataDir: string;
  /** Stops the host and starts a new one on the same data directory; the URL changes. */
  restart(): Promise<void>;
  log(): string;
}

export const test = base.extend<{ dataDir: string; webHost: WebHost }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  dataDir: async ({}, use) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tunebench-e2e-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  webHost: async ({ dataDir }, use) => {
    let current = await WebHostProcess.start(dataDir);
    const host: WebHost = {
      get url() {
        return current.url;
      },
      dataDir,
      async restart() {
        await current.stop();
        current = await WebHostProcess.start(dataDir);
      },
      log: () => current.log,
    };
    try {
      await use(host);
    } finally {
      await current.stop();
    }
  },
});

export { expect } from '@playwright/test';
