/**
 * How a trusted service definition and a run's knob values become a process:
 * the program and arguments (no shell), the working directory and the
 * environment. Pure, so every rule is tested by tables:
 * - "node" as the command's first element is the host's Node.js runtime
 *   (--node, the desktop settings), any other program is run as given;
 * - a knob lands in its environment variable, as a flag after the command's
 *   own arguments (`--flag=value` or `--flag value`; a boolean flag is there
 *   when true), or as a Node option in NODE_OPTIONS (so every Node process of
 *   the service, node:cluster workers and child processes included, has it);
 * - the probe is `--import <probe-preload>` in NODE_OPTIONS, with the socket
 *   and token it reports to;
 * - the workbench's own NODE_OPTIONS and TUNEBENCH_* variables never reach
 *   the service.
 */
import { pathToFileURL } from 'node:url';
import type { Knob, KnobValue, ServiceDefinition } from '../../../shared/specs/services.js';
import { PROBE_INTERVAL_ENV } from '../../../node/probe/serve.js';
import { PROBE_SOCKET_ENV, PROBE_TOKEN_ENV } from '../../../node/probe/socket-channel.js';

export interface ProbeInjection {
  /** The built probe preload (out/main/workers/probe-preload.js). */
  preload: string;
  socketPath: string;
  token: string;
  intervalMs: number;
}

export interface LaunchInput {
  definition: ServiceDefinition;
  /** Effective, already checked against the definition's knobs. */
  knobs: Record<string, KnobValue>;
  /** The host's Node.js, for a command whose first element is "node". */
  nodeCommand: () => string;
  probe?: ProbeInjection;
  /** Handed to the service as DATABASE_URL. */
  databaseUrl?: string;
  /** The workbench's environment the service's is built on (PATH, HOME ...). */
  baseEnv: NodeJS.ProcessEnv;
}

export interface LaunchPlan {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Names of the variables the definition, knobs and Tunebench set (recorded as information; values of fixed ones are not). */
  setVariables: string[];
}

/** Variables of the workbench that are not the service's business. */
function inheritable(name: string): boolean {
  return !/^(NODE_OPTIONS|NODE_CHANNEL_FD|NODE_CHANNEL_SERIALIZATION_MODE|NODE_UNIQUE_ID|ELECTRON_RUN_AS_NODE)$/i.test(name) && !/^TUNEBENCH_/i.test(name);
}

const text = (value: KnobValue) => String(value);

function knobNamed(definition: ServiceDefinition, name: string): Knob {
  const knob = definition.knobs.find((candidate) => candidate.name === name);
  if (!knob) throw new Error(`knob "${name}" is not declared by service "${definition.name}"`);
  return knob;
}

export function planLaunch(input: LaunchInput): LaunchPlan {
  const { definition } = input;
  const [program, ...ownArgs] = definition.command as [string, ...string[]];
  const command = program === 'node' ? input.nodeCommand() : program;
  const args = [...ownArgs];
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.baseEnv)) if (value !== undefined && inheritable(name)) env[name] = value;
  const setVariables = new Set<string>(Object.keys(definition.env));
  Object.assign(env, definition.env);
  const nodeOptions: string[] = definition.env.NODE_OPTIONS ? [definition.env.NODE_OPTIONS] : [];
  for (const [name, value] of Object.entries(input.knobs)) {
    const knob = knobNamed(definition, name);
    if (knob.env !== undefined) {
      env[knob.env] = text(value);
      setVariables.add(knob.env);
    } else if (knob.flag !== undefined) {
      if (knob.type === 'boolean') {
        if (value === true) args.push(knob.flag);
      } else if (knob.flagStyle === 'separate') {
        args.push(knob.flag, text(value));
      } else {
        args.push(`${knob.flag}=${text(value)}`);
      }
    } else if (knob.nodeOption !== undefined) {
      if (knob.type === 'boolean') {
        if (value === true) nodeOptions.push(knob.nodeOption);
      } else {
        nodeOptions.push(`${knob.nodeOption}=${text(value)}`);
      }
    }
  }
  if (input.databaseUrl !== undefined) {
    env.DATABASE_URL = input.databaseUrl;
    setVariables.add('DATABASE_URL');
  }
  if (input.probe) {
    // A file URL has no spaces or quotes to escape inside NODE_OPTIONS.
    nodeOptions.push(`--import=${pathToFileURL(input.probe.preload).href}`);
    env[PROBE_SOCKET_ENV] = input.probe.socketPath;
    env[PROBE_TOKEN_ENV] = input.probe.token;
    env[PROBE_INTERVAL_ENV] = String(input.probe.intervalMs);
    for (const name of [PROBE_SOCKET_ENV, PROBE_TOKEN_ENV, PROBE_INTERVAL_ENV]) setVariables.add(name);
  }
  if (nodeOptions.length) {
    env.NODE_OPTIONS = nodeOptions.join(' ');
    setVariables.add('NODE_OPTIONS');
  }
  return { command, args, cwd: definition.directory, env, setVariables: [...setVariables].sort() };
}
