import os from 'node:os';
import type { Environment } from '../../shared/run-record.js';
import { TUNEBENCH_VERSION } from './version.js';

export function captureEnvironment(host: Environment['host'], extra?: Record<string, string>): Environment {
  const cpus = os.cpus();
  return {
    tunebenchVersion: TUNEBENCH_VERSION,
    host,
    node: process.versions.node,
    v8: process.versions.v8,
    ...(process.versions.electron ? { electron: process.versions.electron } : {}),
    os: `${os.type()} ${os.release()}`,
    arch: process.arch,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    ...(extra && Object.keys(extra).length ? { extra } : {}),
  };
}
