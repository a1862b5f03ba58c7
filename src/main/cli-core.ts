/**
 * What every CLI command shares: the command shape (`CliCommand`), what it
 * writes to and reads from (`CliIo`), and the exit codes. cli.ts holds the
 * command table and `main`; cli-studies.ts, cli-serve.ts and cli-doctor.ts
 * hold commands of their own, all written against this module.
 */
import type { ParseArgsConfig } from 'node:util';
import { errorEntry, TunebenchError } from '../shared/errors.js';
import type { Engine } from './engine/engine.js';

/**
 * The exit codes of every command, and the only place they are written.
 * `regression` and `inconclusive` are compare's gate: a significant
 * regression fails like a failed run, a gate that cannot decide (the machine
 * was busy) exits like bad input.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  regression: 1,
  badInput: 2,
  inconclusive: 2,
  stoppedBySignal: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit codes as the general usage states them. */
export const EXIT_CODES_LINE =
  `Exit codes: ${EXIT.ok} ok, ${EXIT.failed} failed, ${EXIT.badInput} bad input, ${EXIT.stoppedBySignal} stopped by Ctrl-C.`;

/** Wrong command-line use: the message and the command's usage go to stderr, exit 2. */
export class UsageError extends Error {}

/** The exit code of an error a command threw. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT.badInput;
  // The catalogue says which errors mean "the input was wrong" (exit 2) rather than "something failed" (exit 1).
  if (error instanceof TunebenchError) return errorEntry(error.code).exit === 'input' ? EXIT.badInput : EXIT.failed;
  return EXIT.failed;
}

/** Where a command writes: process.stdout / process.stderr, or a test's fake. */
export interface CliOutput {
  write(text: string): unknown;
  /** A terminal gets a self-rewriting progress line; anything else gets none. */
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  env: NodeJS.ProcessEnv;
  /**
   * The global `--node <path>` option: the Node.js subject processes (cluster,
   * memory sandbox) run on. Set by `main`; commands pass `io` on unchanged, so
   * the engine they open finds it there.
   */
  nodePath?: string;
  /**
   * Where the built workers are (out/main/workers). The process entry sets it
   * beside itself; when absent, beside the module that opens the engine.
   */
  workersDir?: string;
  /**
   * The `--services <file>` option: a services file whose definitions this
   * invocation trusts (named on the command line, so the user chose it). Set
   * by `main`; the engine a command opens reads it from here.
   */
  servicesFiles?: string[];
}

export type CliValues = Record<string, string | boolean | undefined>;

/** A command's arguments after parsing: `--node` and `--help` are taken out by `main`. */
export interface CliInput {
  positionals: string[];
  values: CliValues;
}

export interface CliCommand {
  /** One line for the command list. */
  summary: string;
  /** Synopsis lines after "tunebench ". */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Resolves with the exit code; a thrown error exits with `exitCodeOf(error)`. */
  run(input: CliInput, io: CliIo): Promise<ExitCode>;
}

/** Opens the engine on the user's data directory; supplied by cli.ts so command modules stay free of host details. */
export type WithEngine = <T>(io: CliIo, use: (engine: Engine) => Promise<T>) => Promise<T>;

/** Registers a handler for Ctrl-C / SIGTERM and returns its disposer (host-binding's onStopSignal). */
export type OnStopSignal = (stop: () => void | Promise<void>) => () => void;

/** The positionals, exactly as many as named; too few or too many is a UsageError naming what is wrong. */
export function expectPositionals(positionals: string[], names: string[]): string[] {
  if (positionals.length < names.length) throw new UsageError(`missing ${names.slice(positionals.length).join(' ')}`);
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument "${positionals[names.length]}"`);
  }
  return positionals;
}
