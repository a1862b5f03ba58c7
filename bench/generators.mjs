// Load generators as processes of their own, with the CPU time each spent on
// the load read from /proc (issue #11, part 7): Tunebench's load kind and
// autocannon through bench/load-process.mjs, wrk under a shell that reports
// what its waited-for child used.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processCpuMs, waitedChildrenCpuMs } from './cpu.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Runs `tool` ('tunebench' | 'autocannon') in a child process. Its CPU time
 * (/proc/<pid>/stat, every thread) is read when it is ready (modules and the
 * engine loaded) and when it has printed its result, before it exits.
 * Returns the tool's result with cpuMs and cpuUsPerRequest. hooks.onGo and
 * hooks.onResult run right before the load starts and right after its result
 * arrives (to read another process's CPU over the same window).
 */
export function runNodeGenerator(tool, settings, hooks = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'load-process.mjs'), JSON.stringify({ tool, ...settings })], {
      stdio: ['pipe', 'pipe', 'inherit'],
      // A probe preloaded through the environment would run in the generator too.
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let buffered = '';
    let cpuAtStart;
    let settled = false;
    const fail = (error) => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`${tool} process exited (${signal ?? code}) before its result`)));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        let message;
        try {
          message = JSON.parse(line);
        } catch {
          continue;
        }
        if (message.type === 'ready') {
          hooks.onGo?.();
          cpuAtStart = processCpuMs(child.pid);
          child.stdin.write('go\n');
        } else if (message.type === 'result') {
          const cpuMs = processCpuMs(child.pid) - cpuAtStart;
          hooks.onResult?.();
          settled = true;
          child.removeAllListeners('exit');
          child.once('exit', () => resolve({ ...message, cpuMs, cpuUsPerRequest: (cpuMs * 1000) / message.requests }));
          child.stdin.end();
        } else if (message.type === 'error') {
          fail(new Error(`${tool} process: ${message.message}`));
        }
      }
    });
  });
}

export const hasWrk = spawnSync('wrk', ['--version']).error === undefined;

/** wrk prints latencies like 1.23ms / 850.00us / 1.02s. */
function wrkMs(text) {
  const match = /([\d.]+)(us|ms|s)\b/.exec(text);
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

/**
 * wrk, one thread, for durationSec. It runs under sh, which waits for it and
 * then prints its own /proc/<pid>/stat: the shell's cutime + cstime are wrk's
 * whole CPU time (start-up included, which for wrk is a few milliseconds).
 */
export function runWrk({ url, path: endpoint, connections, durationSec }) {
  const script = 'wrk "$@"; status=$?; echo "@@stat $(cat /proc/$$/stat)"; exit $status';
  const args = ['-c', script, 'sh', '-t1', `-c${connections}`, `-d${durationSec}s`, '--latency', url + endpoint];
  return new Promise((resolve, reject) => {
    const child = spawn('sh', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    let errors = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => (errors += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited with ${code}: ${(errors || out).trim().slice(0, 500)}`));
      const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
      const stat = /@@stat (.*)/.exec(out)?.[1];
      const cpuMs = stat ? waitedChildrenCpuMs(stat) : Number.NaN;
      resolve({
        requests,
        rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
        p50: wrkMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ''),
        p99: wrkMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ''),
        errors: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
        cpuMs,
        cpuUsPerRequest: (cpuMs * 1000) / requests,
      });
    });
  });
}
