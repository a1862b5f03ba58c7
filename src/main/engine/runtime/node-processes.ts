/**
 * What /proc says about the Node.js processes on this machine, for attaching
 * to one Tunebench did not start: which processes run node, whose they are,
 * where their inspector would listen, and which TCP ports each listens on
 * (its socket inodes in /proc/<pid>/fd matched with /proc/<pid>/net/tcp and
 * tcp6). Reads only; nothing here signals or connects.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processStartTime } from '../processes/process-info.js';

export interface ProcessFacts {
  pid: number;
  /** Opaque start time: a pid with another start time is another process. */
  startTime: string;
  argv: string[];
  /** The executable, when readable (another user's process hides it unless we are root). */
  exe?: string;
  uid: number;
  /** Effective uid. */
  euid: number;
  isNode: boolean;
}

export interface Listener {
  address: string;
  port: number;
  inode: number;
}

export const DEFAULT_INSPECTOR_HOST = '127.0.0.1';
export const DEFAULT_INSPECTOR_PORT = 9229;

export function procAvailable(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
}

/** node, nodejs, node20, node-22 …, as an executable's or argv[0]'s base name. */
export function isNodeExecutableName(file: string): boolean {
  const base = path.basename(file.replace(/ \(deleted\)$/, ''));
  return /^node(js)?(-?\d+(\.\d+)*)?$/.test(base);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Facts about one process, or undefined when it is gone (or a kernel thread, or a zombie). */
export function processFacts(pid: number): ProcessFacts | undefined {
  const status = readText(`/proc/${pid}/status`);
  const startTime = processStartTime(pid);
  const cmdline = readText(`/proc/${pid}/cmdline`);
  if (!status || !startTime || !cmdline) return undefined;
  if (/^State:\s+[ZX]/m.test(status)) return undefined;
  const uids = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
  if (!uids) return undefined;
  const argv = cmdline.split('\0');
  if (argv.at(-1) === '') argv.pop();
  if (argv.length === 0) return undefined;
  let exe: string | undefined;
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    exe = undefined;
  }
  return {
    pid,
    startTime,
    argv,
    ...(exe ? { exe } : {}),
    uid: Number(uids[1]),
    euid: Number(uids[2]),
    isNode: isNodeExecutableName(exe ?? argv[0]!),
  };
}

/** Every process's pid, from /proc. */
export function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Its command line for people: argv[0]'s base name and the arguments, at most `max` characters. */
export function shortCommand(argv: readonly string[], max = 160): string {
  const [first = '', ...rest] = argv;
  const text = [path.basename(first), ...rest].join(' ').replace(/\s+/g, ' ');
  return text.length <= max ? text : `${text.slice(0, max - 21)}…${text.slice(-20)}`;
}

let passwd: Map<number, string> | undefined;
/** A uid's user name (from /etc/passwd), or the number. */
export function userName(uid: number): string {
  if (!passwd) {
    passwd = new Map();
    for (const line of (readText('/etc/passwd') ?? '').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id && /^\d+$/.test(id) && !passwd.has(Number(id))) passwd.set(Number(id), name);
    }
  }
  return passwd.get(uid) ?? String(uid);
}

// ---- where the inspector would listen -------------------------------------------------------

export interface InspectorSetting {
  host: string;
  /** 0: a random free port, known only once it listens. */
  port: number;
  /** Opened at start (--inspect, --inspect-brk, --inspect-wait). */
  openAtStart: boolean;
}

/** Node options that take the next argument as their value (so it is not the script). */
const VALUE_OPTIONS = new Set([
  '-e', '--eval', '-p', '--print', '-r', '--require', '--import', '--loader', '--experimental-loader',
  '--inspect-port', '--debug-port', '-C', '--conditions', '--input-type', '--title', '--env-file',
  '--stack-trace-limit', '--max-old-space-size', '--max-semi-space-size', '--experimental-policy', '--policy-integrity',
  '--redirect-warnings', '--unhandled-rejections', '--dns-result-order', '--diagnostic-dir', '--heapsnapshot-signal',
  '--icu-data-dir', '--openssl-config', '--tls-cipher-list', '--trace-event-categories', '--watch-path',
]);

/** Splits `host:port`, `[v6]:port`, `port` or `host` as Node's --inspect-port and --inspect read them. */
export function parseHostPort(value: string, current: { host: string; port: number }): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (v6) return { host: v6[1]!, port: v6[2] !== undefined ? Number(v6[2]) : current.port };
  if (/^\d+$/.test(value)) return { host: current.host, port: Number(value) };
  const colon = value.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(value.slice(colon + 1))) return { host: value.slice(0, colon), port: Number(value.slice(colon + 1)) };
  return { host: value, port: current.port };
}

/** Node's options among `args` (before the script), each with its value when it takes one. */
function nodeOptions(args: readonly string[]): Array<[string, string | undefined]> {
  const options: Array<[string, string | undefined]> = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--' || !arg.startsWith('-') || arg === '-') break;
    const equals = arg.indexOf('=');
    if (equals > 0) {
      options.push([arg.slice(0, equals), arg.slice(equals + 1)]);
    } else if (VALUE_OPTIONS.has(arg)) {
      options.push([arg, args[i + 1]]);
      i++;
    } else {
      options.push([arg, undefined]);
    }
  }
  return options;
}

/** NODE_OPTIONS split as Node does (spaces, double quotes). */
export function splitNodeOptions(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/"((?:\\.|[^"\\])*)"|(\S+)/g)) out.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!);
  return out;
}

/**
 * Where a process's inspector listens (or would, on SIGUSR1): from NODE_OPTIONS, then its
 * command line's options (the later wins, as in Node), 127.0.0.1:9229 by default.
 */
export function inspectorSetting(argv: readonly string[], nodeOptionsText = ''): InspectorSetting {
  let setting = { host: DEFAULT_INSPECTOR_HOST, port: DEFAULT_INSPECTOR_PORT };
  let openAtStart = false;
  for (const [name, value] of [...nodeOptions(splitNodeOptions(nodeOptionsText)), ...nodeOptions(argv.slice(1))]) {
    if (name === '--inspect-port' || name === '--debug-port') {
      if (value !== undefined) setting = parseHostPort(value, setting);
    } else if (name === '--inspect' || name === '--inspect-brk' || name === '--inspect-wait') {
      openAtStart = true;
      if (value !== undefined) setting = parseHostPort(value, setting);
    }
  }
  return { ...setting, openAtStart };
}

/** NODE_OPTIONS from its environment (readable for our own user's processes), or ''. */
export function nodeOptionsOf(pid: number): string {
  const environ = readText(`/proc/${pid}/environ`);
  if (!environ) return '';
  const entry = environ.split('\0').find((item) => item.startsWith('NODE_OPTIONS='));
  return entry ? entry.slice('NODE_OPTIONS='.length) : '';
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(bare);
}

// ---- listening sockets ----------------------------------------------------------------------

const littleEndian = os.endianness() === 'LE';

function hexWord(hex: string): number[] {
  const bytes = [0, 2, 4, 6].map((at) => parseInt(hex.slice(at, at + 2), 16));
  return littleEndian ? bytes.reverse() : bytes;
}

/** An address as /proc/net/tcp{,6} writes it (32-bit words in host order) → its text form. */
export function decodeProcAddress(hex: string): string {
  if (hex.length === 8) return hexWord(hex).join('.');
  const bytes: number[] = [];
  for (let at = 0; at < 32; at += 8) bytes.push(...hexWord(hex.slice(at, at + 8)));
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: string[] = [];
  for (let at = 0; at < 16; at += 2) groups.push(((bytes[at]! << 8) | bytes[at + 1]!).toString(16));
  // Shortest form is not needed: only ::, ::1 and v4-mapped addresses are compared; the rest is shown.
  const text = groups.join(':');
  if (text === '0:0:0:0:0:0:0:0') return '::';
  if (text === '0:0:0:0:0:0:0:1') return '::1';
  return text;
}

/** LISTEN sockets in a /proc/net/tcp{,6} text. */
export function parseListeners(text: string): Listener[] {
  const listeners: Listener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== '0A') continue;
    const [addressHex, portHex] = fields[1]!.split(':');
    if (!addressHex || !portHex) continue;
    listeners.push({ address: decodeProcAddress(addressHex), port: parseInt(portHex, 16), inode: Number(fields[9]) });
  }
  return listeners;
}

/** Every TCP listener in a process's network namespace. */
export function namespaceListeners(pid: number): Listener[] {
  return ['tcp', 'tcp6'].flatMap((file) => parseListeners(readText(`/proc/${pid}/net/${file}`) ?? ''));
}

/** The process's socket inodes, or undefined when its fds cannot be read (another user's process). */
export function socketInodes(pid: number): Set<number> | undefined {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  const inodes = new Set<number>();
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(Number(match[1]));
    } catch {
      // Closed between the listing and the read.
    }
  }
  return inodes;
}

/** TCP ports this process listens on, or undefined when its sockets cannot be read. */
export function processListeners(pid: number): Listener[] | undefined {
  const inodes = socketInodes(pid);
  if (!inodes) return undefined;
  return namespaceListeners(pid).filter((listener) => inodes.has(listener.inode));
}
