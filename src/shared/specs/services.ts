/**
 * Services: the user's own programs, defined on their own machine, that load
 * runs start, measure and stop. A definition names a command (an argv array,
 * no shell), a working directory, fixed environment variables, the URL it
 * serves, a readiness check, a graceful stop and its knobs: named settings,
 * each mapped to one environment variable, command-line flag or Node option,
 * with a type and an allowed range or list.
 *
 * Definitions are trusted only where the user put them (saved through the
 * app, a services file named on the CLI's command line, a folder the user
 * confirmed in the app). A spec refers to a service by name and sets only
 * its declared knobs (`knobValuesProblem` checks them against the
 * declaration), so a spec or record from elsewhere never carries a command,
 * an environment variable or a path.
 */
import { z } from 'zod';

/** The file a repository keeps its service definitions in. */
export const SERVICES_FILE_NAME = 'tunebench.services.json';

export const SERVICE_NAME_RULE = 'a letter, then letters, digits, "_" or "-", at most 64 characters';
export const ServiceNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, `a service name is ${SERVICE_NAME_RULE}`);

/** Knob names are sweep-axis segments (target.knobs.poolMax), so they are identifiers. */
export const KnobNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a knob name is a letter or "_", then letters, digits or "_", at most 64 characters');

export const ENV_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/i;
const EnvNameSchema = z.string().max(200).regex(ENV_NAME_PATTERN, 'an environment variable name is letters, digits and "_", not starting with a digit');
/** Tunebench sets these itself (the probe, the database); a definition may not. */
const RESERVED_ENV = /^(TUNEBENCH_|NODE_CHANNEL_FD$|NODE_UNIQUE_ID$)/i;
const noNul = (value: string) => !value.includes('\0');

/** A knob's value when it lands in NODE_OPTIONS or a flag: no whitespace or quotes, so it stays one argument. */
const KNOB_STRING_PATTERN = /^[^\s"'\\]{1,200}$/;

const knobBase = {
  name: KnobNameSchema,
  description: z.string().max(500).optional(),
  /** Set this environment variable, e.g. PG_POOL_MAX. */
  env: EnvNameSchema.optional(),
  /** Add this command-line flag, e.g. --threads. */
  flag: z.string().min(2).max(200).regex(/^-{1,2}[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a flag starts with "-" or "--" and has no "=" or spaces').optional(),
  /** "--flag=value" (equals, the default) or "--flag value" (separate). */
  flagStyle: z.enum(['equals', 'separate']).optional(),
  /** A Node.js option for every Node process of the service (NODE_OPTIONS), e.g. --max-old-space-size. */
  nodeOption: z.string().max(200).regex(/^--[a-z0-9][a-z0-9-]*$/, 'a Node option is "--" and lower-case letters, digits and "-", e.g. --max-old-space-size').optional(),
};

export const KnobSchema = z
  .discriminatedUnion('type', [
    z.object({ ...knobBase, type: z.literal('integer'), min: z.number().int(), max: z.number().int(), default: z.number().int().optional() }).strict(),
    z.object({ ...knobBase, type: z.literal('number'), min: z.number(), max: z.number(), default: z.number().optional() }).strict(),
    z
      .object({
        ...knobBase,
        type: z.literal('enum'),
        values: z.array(z.string().regex(KNOB_STRING_PATTERN, 'enum values have no spaces or quotes, at most 200 characters')).min(1).max(100),
        default: z.string().optional(),
      })
      .strict(),
    z.object({ ...knobBase, type: z.literal('boolean'), default: z.boolean().optional() }).strict(),
  ])
  .superRefine((knob, ctx) => {
    const targets = [knob.env, knob.flag, knob.nodeOption].filter((target) => target !== undefined);
    if (targets.length !== 1) {
      ctx.addIssue({ code: 'custom', path: [], message: `knob "${knob.name}" needs exactly one of env, flag or nodeOption` });
    }
    if (knob.flagStyle !== undefined && knob.flag === undefined) {
      ctx.addIssue({ code: 'custom', path: ['flagStyle'], message: 'flagStyle applies to a flag' });
    }
    if (knob.env !== undefined && RESERVED_ENV.test(knob.env)) {
      ctx.addIssue({ code: 'custom', path: ['env'], message: `${knob.env} is Tunebench's own` });
    }
    if ((knob.type === 'integer' || knob.type === 'number') && knob.min > knob.max) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: `max ${knob.max} is below min ${knob.min}` });
    }
    if (knob.default !== undefined) {
      const problem = knobValueProblem(knob as Knob, knob.default);
      if (problem) ctx.addIssue({ code: 'custom', path: ['default'], message: problem });
    }
  });
export type Knob = z.infer<typeof KnobSchema>;
export type KnobValue = number | string | boolean;

export const ReadinessSchema = z.discriminatedUnion('type', [
  /** GET of this path on the service's URL until it answers 2xx. */
  z.object({ type: z.literal('http'), path: z.string().max(2_000).regex(/^\/\S*$/, 'must start with / and contain no spaces').default('/'), timeoutSec: z.number().min(0.5).max(600).default(30) }).strict(),
  /** A line of stdout or stderr matching this regular expression. */
  z
    .object({
      type: z.literal('log'),
      pattern: z
        .string()
        .min(1)
        .max(500)
        .refine((pattern) => {
          try {
            new RegExp(pattern);
            return true;
          } catch {
            return false;
          }
        }, 'must be a valid regular expression'),
      timeoutSec: z.number().min(0.5).max(600).default(30),
    })
    .strict(),
]);
export type Readiness = z.infer<typeof ReadinessSchema>;

const HttpUrlSchema = z
  .string()
  .max(2_000)
  .regex(/^https?:\/\/[^\s/?#@]+(?:[/?#][^\s]*)?$/, 'must be an http:// or https:// URL without credentials');

export const ServiceDefinitionSchema = z
  .object({
    name: ServiceNameSchema,
    description: z.string().max(1_000).optional(),
    /** The program and its arguments, run without a shell. "node" as the first element means the host's Node.js runtime. */
    command: z.array(z.string().min(1).max(4_096).refine(noNul, 'no NUL characters')).min(1).max(200),
    /** The working directory: absolute, or (in a services file) relative to the file's folder. */
    directory: z.string().min(1).max(4_096).refine(noNul, 'no NUL characters'),
    env: z
      .record(EnvNameSchema, z.string().max(32_768).refine(noNul, 'no NUL characters'))
      .default({})
      .superRefine((env, ctx) => {
        for (const name of Object.keys(env)) {
          if (RESERVED_ENV.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: `${name} is Tunebench's own` });
        }
      }),
    /** Where the service answers, e.g. http://127.0.0.1:3000; load runs send their requests here. */
    url: HttpUrlSchema,
    ready: ReadinessSchema.default({ type: 'http', path: '/', timeoutSec: 30 }),
    /** Graceful stop: SIGTERM to the service's process group, SIGKILL after this long. */
    stop: z.object({ timeoutSec: z.number().min(0.1).max(600).default(10) }).strict().prefault({}),
    /** "embedded": the service gets DATABASE_URL, a database of its own on the embedded PostgreSQL. */
    database: z.enum(['none', 'embedded']).default('none'),
    knobs: z.array(KnobSchema).max(100).default([]),
  })
  .strict()
  .superRefine((service, ctx) => {
    const seen = new Set<string>();
    service.knobs.forEach((knob, index) => {
      if (seen.has(knob.name)) ctx.addIssue({ code: 'custom', path: ['knobs', index, 'name'], message: `knob "${knob.name}" is declared twice` });
      seen.add(knob.name);
      if (knob.env !== undefined && Object.prototype.hasOwnProperty.call(service.env, knob.env)) {
        ctx.addIssue({ code: 'custom', path: ['knobs', index, 'env'], message: `${knob.env} is also a fixed variable in env` });
      }
    });
    if (service.database === 'embedded' && Object.prototype.hasOwnProperty.call(service.env, 'DATABASE_URL')) {
      ctx.addIssue({ code: 'custom', path: ['env', 'DATABASE_URL'], message: 'with database "embedded" Tunebench sets DATABASE_URL' });
    }
  });
export type ServiceDefinition = z.infer<typeof ServiceDefinitionSchema>;
export type ServiceDefinitionInput = z.input<typeof ServiceDefinitionSchema>;

/** A tunebench.services.json file. */
export const ServicesFileSchema = z
  .object({
    /** Lets an editor find this file's JSON Schema; ignored by Tunebench. */
    $schema: z.string().max(500).optional(),
    services: z.array(ServiceDefinitionSchema).max(200),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.services.forEach((service, index) => {
      if (seen.has(service.name)) ctx.addIssue({ code: 'custom', path: ['services', index, 'name'], message: `service "${service.name}" is defined twice` });
      seen.add(service.name);
    });
  });
export type ServicesFile = z.infer<typeof ServicesFileSchema>;

/** The JSON Schema of a services file, for editors ("$schema": "./tunebench-services.schema.json"). */
export function servicesFileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ServicesFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'Tunebench services file (tunebench.services.json)' };
}

/** What a spec may set of a service: knob values by name, nothing else. */
export const KnobValuesSchema = z.record(KnobNameSchema, z.union([z.number(), z.string().max(200), z.boolean()]));

/** Why `value` is not allowed for `knob`, or undefined when it is. */
export function knobValueProblem(knob: Knob, value: unknown): string | undefined {
  switch (knob.type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= knob.min && value <= knob.max
        ? undefined
        : `must be an integer from ${knob.min} to ${knob.max}, got ${JSON.stringify(value)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= knob.min && value <= knob.max
        ? undefined
        : `must be a number from ${knob.min} to ${knob.max}, got ${JSON.stringify(value)}`;
    case 'enum':
      return typeof value === 'string' && knob.values.includes(value)
        ? undefined
        : `must be one of ${knob.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, got ${JSON.stringify(value)}`;
  }
}

/** One problem with a spec's knob values against a definition, or undefined; unknown knobs name the known ones. */
export function knobValuesProblem(service: Pick<ServiceDefinition, 'name' | 'knobs'>, values: Record<string, unknown>): string | undefined {
  for (const [name, value] of Object.entries(values)) {
    const knob = service.knobs.find((candidate) => candidate.name === name);
    if (!knob) {
      const known = service.knobs.map((candidate) => candidate.name).join(', ') || 'none';
      return `has no knob "${name}"; its knobs: ${known}`;
    }
    const problem = knobValueProblem(knob, value);
    if (problem) return `knob "${name}" ${problem}`;
  }
  return undefined;
}

/** The knob values a run uses: the spec's, else each knob's default; knobs with neither are left to the service. */
export function effectiveKnobs(service: Pick<ServiceDefinition, 'knobs'>, values: Record<string, KnobValue>): Record<string, KnobValue> {
  const out: Record<string, KnobValue> = {};
  for (const knob of service.knobs) {
    const value = Object.prototype.hasOwnProperty.call(values, knob.name) ? values[knob.name] : knob.default;
    if (value !== undefined) out[knob.name] = value;
  }
  return out;
}

/** How a knob is applied, for lists and help: "env PG_POOL_MAX", "flag --threads=<value>", "Node option --max-old-space-size". */
export function describeKnobTarget(knob: Knob): string {
  if (knob.env !== undefined) return `env ${knob.env}`;
  if (knob.flag !== undefined) return `flag ${knob.flag}${knob.type === 'boolean' ? '' : knob.flagStyle === 'separate' ? ' <value>' : '=<value>'}`;
  return `Node option ${knob.nodeOption}${knob.type === 'boolean' ? '' : '=<value>'}`;
}

/** The allowed values of a knob in words: "integer 1–200", "one of a, b", "true or false". */
export function describeKnobRange(knob: Knob): string {
  switch (knob.type) {
    case 'integer':
      return `integer ${knob.min}–${knob.max}`;
    case 'number':
      return `number ${knob.min}–${knob.max}`;
    case 'enum':
      return `one of ${knob.values.join(', ')}`;
    case 'boolean':
      return 'true or false';
  }
}

/** Where a trusted definition came from. */
export const ServiceSourceSchema = z.discriminatedUnion('type', [
  /** Saved through the app (the Services page), in the data directory. */
  z.object({ type: z.literal('app') }),
  /** A services file in a folder the user confirmed they trust. */
  z.object({ type: z.literal('folder'), folder: z.string(), file: z.string() }),
  /** A services file named on the CLI's command line (--services). */
  z.object({ type: z.literal('command-line'), file: z.string() }),
]);
export type ServiceSource = z.infer<typeof ServiceSourceSchema>;

export const ServiceProcessInfoSchema = z.object({
  /** The order the process's probe connected in: 0 is usually the service's first process. */
  index: z.number(),
  pid: z.number(),
  ppid: z.number().optional(),
  /** The runtime subject id for snapshots and profiles (runtime.* calls). */
  processId: z.string(),
  heapUsedMb: z.number().optional(),
  rssMb: z.number().optional(),
  cpuPercent: z.number().optional(),
  eldP99Ms: z.number().optional(),
  connected: z.boolean(),
});
export type ServiceProcessInfo = z.infer<typeof ServiceProcessInfoSchema>;

export const ServiceStateSchema = z.enum(['stopped', 'starting', 'running', 'stopping', 'failed']);
export type ServiceState = z.infer<typeof ServiceStateSchema>;

export const ServiceLogLineSchema = z.object({
  /** Epoch ms. */
  at: z.number(),
  stream: z.enum(['stdout', 'stderr']),
  line: z.string(),
});
export type ServiceLogLine = z.infer<typeof ServiceLogLineSchema>;

/** A service started by hand on the Services page (or a run's own instance), as the page shows it. */
export const ServiceStatusSchema = z.object({
  name: z.string(),
  state: ServiceStateSchema,
  /** Set for an instance a run started. */
  runId: z.string().optional(),
  pid: z.number().optional(),
  url: z.string().optional(),
  knobs: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
  /** Why it failed or how it ended. */
  message: z.string().optional(),
  processes: z.array(ServiceProcessInfoSchema),
});
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;

export const ServiceViewSchema = z.object({
  definition: ServiceDefinitionSchema,
  source: ServiceSourceSchema,
  /** Another definition of the same name comes first (command line, then the app, then trusted folders). */
  shadowedBy: ServiceSourceSchema.optional(),
  status: ServiceStatusSchema.optional(),
});
export type ServiceView = z.infer<typeof ServiceViewSchema>;

export const TrustedFolderViewSchema = z.object({
  folder: z.string(),
  file: z.string(),
  trustedAt: z.string(),
  services: z.array(z.string()),
  /** Why its file could not be read (missing, invalid), when it could not. */
  problem: z.string().optional(),
});
export type TrustedFolderView = z.infer<typeof TrustedFolderViewSchema>;

/** What `services check` saw: readiness, the processes, the stop, the last log lines. */
export const ServiceCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  /** The command as run (the host's Node for "node"), for the user to read. */
  command: z.array(z.string()),
  directory: z.string(),
  readyMs: z.number().optional(),
  readiness: z.string(),
  processes: z.array(z.object({ pid: z.number(), ppid: z.number().optional(), heapUsedMb: z.number().optional() })),
  /** graceful: exited within its stop timeout after SIGTERM; killed: SIGKILL after the timeout; exited: it ended by itself first. */
  stop: z.enum(['graceful', 'killed', 'exited', 'not-started']),
  stopMs: z.number().optional(),
  problem: z.string().optional(),
  logTail: z.array(ServiceLogLineSchema),
});
export type ServiceCheck = z.infer<typeof ServiceCheckSchema>;

/** A folder's services file as the app shows it before the user decides to trust the folder. */
export const FolderInspectionSchema = z.object({
  folder: z.string(),
  file: z.string(),
  exists: z.boolean(),
  trusted: z.boolean(),
  /** What trusting the folder would let Tunebench run. */
  services: z.array(z.object({ name: z.string(), command: z.array(z.string()), directory: z.string() })),
  problem: z.string().optional(),
});
export type FolderInspection = z.infer<typeof FolderInspectionSchema>;
