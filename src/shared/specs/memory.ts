import { z } from 'zod';

export const memoryScenarios = ['leak', 'churn', 'buffers', 'oom-worker', 'cpu-main', 'cpu-pool'] as const;
export const MemoryScenarioSchema = z.enum(memoryScenarios);
export type MemoryScenario = z.infer<typeof MemoryScenarioSchema>;

export const memoryScenarioDescriptions: Record<MemoryScenario, string> = {
  leak: 'Steady leak: closures over fresh arrays are kept in a growing map, never released',
  churn: 'Churn: many short-lived objects, each dropped after retainMs; the live set stays flat',
  buffers: 'Large buffers: Buffers outside the JS heap (external / arrayBuffers), each dropped after retainMs',
  'oom-worker': 'A worker thread with resourceLimits runs a job that allocates until it runs out of heap; it is replaced',
  'cpu-main': 'A CPU task of taskMs, rate times per second, on the main thread: the event loop blocks',
  'cpu-pool': 'The same CPU task offloaded to two worker threads: the main thread stays responsive',
};

/** Default object size per scenario when objectSizeBytes is not set. */
export const defaultObjectSizeBytes: Record<MemoryScenario, number> = {
  leak: 1_024,
  churn: 1_024,
  buffers: 1_048_576,
  'oom-worker': 1_024,
  'cpu-main': 1_024,
  'cpu-pool': 1_024,
};

/** The sustained-growth rule of the leak detector; every threshold is a setting. */
export const LeakRuleSchema = z
  .object({
    /** Only post-major-GC points this recent are fitted. */
    windowSec: z.number().min(5).max(3_600).default(60),
    /** Growth of the live-set floor that counts as a leak. */
    minGrowthMbPerMin: z.number().min(0).max(100_000).default(1),
    /** How well a straight line must explain the floor (R², 0..1). */
    minR2: z.number().min(0).max(1).default(0.8),
    /** The fitted points must span at least this long: growth has to be sustained, not a step. */
    sustainSec: z.number().min(1).max(3_600).default(10),
    minPoints: z.number().int().min(3).max(10_000).default(4),
    /** Points from the first seconds of a run are ignored: a process fills its caches and working set first. */
    warmupSec: z.number().min(0).max(3_600).default(5),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.windowSec < rule.sustainSec) {
      ctx.addIssue({
        code: 'custom',
        path: ['windowSec'],
        message: `windowSec ${rule.windowSec} is shorter than sustainSec ${rule.sustainSec}: the window could never hold sustained growth`,
      });
    }
  });
export type LeakRule = z.infer<typeof LeakRuleSchema>;
export const defaultLeakRule: LeakRule = LeakRuleSchema.parse({});

/** The scenarios whose subject is the heap, so a run that cannot reach a leak verdict is refused. */
export const leakVerdictScenarios: readonly MemoryScenario[] = ['leak', 'churn', 'buffers'];

/**
 * The shortest run in which the leak rule can decide: the warm-up, then
 * major-GC points spanning sustainSec, plus a quarter of sustainSec for the
 * first and last major GC to land (they do not come exactly at the edges).
 */
export function minimumLeakDurationSec(rule: Pick<LeakRule, 'warmupSec' | 'sustainSec'>): number {
  return Math.ceil(rule.warmupSec + rule.sustainSec * 1.25);
}

export const MemorySpecSchema = z
  .object({
    kind: z.literal('memory'),
    name: z.string().max(200).optional(),
    scenario: MemoryScenarioSchema,
    durationSec: z.number().min(1).max(3_600).default(30),
    /** Objects (leak, churn), buffers (buffers) or jobs (oom-worker) per second. */
    rate: z.number().min(1).max(1_000_000).default(1_000),
    objectSizeBytes: z.number().int().min(16).max(268_435_456).optional(),
    /** How long a churned object or buffer stays reachable. */
    retainMs: z.number().min(0).max(60_000).default(50),
    /** --max-old-space-size of the sandbox process. */
    maxOldSpaceMb: z.number().int().min(16).max(65_536).optional(),
    /** resourceLimits.maxOldGenerationSizeMb of the oom-worker scenario's worker threads. */
    workerHeapMb: z.number().int().min(4).max(4_096).default(32),
    /** Every n-th job of the oom-worker scenario allocates without bound. */
    hogEvery: z.number().int().min(1).max(1_000_000).default(10),
    /** Length of one CPU task of the cpu-main and cpu-pool scenarios. */
    taskMs: z.number().min(1).max(10_000).default(20),
    probeIntervalMs: z.number().int().min(100).max(60_000).default(1_000),
    leakRule: LeakRuleSchema.default(defaultLeakRule),
    /** Heap snapshots at start and end of the scenario, diffed by constructor. */
    snapshots: z.boolean().default(false),
    /** Start the sandbox with --expose-gc so a user can force a GC from the UI. */
    allowForcedGc: z.boolean().default(false),
  })
  .strict()
  .superRefine((spec, ctx) => {
    // A run too short for its leak rule would end "collecting", which reads like "no leak".
    const minimum = minimumLeakDurationSec(spec.leakRule);
    if (leakVerdictScenarios.includes(spec.scenario) && spec.durationSec < minimum) {
      const { warmupSec, sustainSec } = spec.leakRule;
      ctx.addIssue({
        code: 'custom',
        path: ['durationSec'],
        message:
          `durationSec ${spec.durationSec} cannot cover leakRule.warmupSec ${warmupSec} + leakRule.sustainSec ${sustainSec} ` +
          `(+ ${+(minimum - warmupSec - sustainSec).toFixed(2)} s for the major GCs to land), so no leak verdict could be reached; ` +
          `use durationSec ≥ ${minimum} or lower leakRule.sustainSec or leakRule.warmupSec`,
      });
    }
  });
export type MemorySpec = z.infer<typeof MemorySpecSchema>;
export type MemorySpecInput = z.input<typeof MemorySpecSchema>;

export const exampleMemorySpec: MemorySpecInput = {
  kind: 'memory',
  name: 'steady leak, 1 KB objects at 2000/s',
  scenario: 'leak',
  durationSec: 30,
  rate: 2_000,
  objectSizeBytes: 1_024,
  maxOldSpaceMb: 128,
  probeIntervalMs: 500,
  leakRule: { windowSec: 60, minGrowthMbPerMin: 1, minR2: 0.8, sustainSec: 10, minPoints: 4, warmupSec: 3 },
};

/** Engine → memory sandbox. */
export const SandboxStartSchema = z.object({
  type: z.literal('sandbox.start'),
  scenario: MemoryScenarioSchema,
  durationSec: z.number(),
  rate: z.number(),
  objectSizeBytes: z.number(),
  retainMs: z.number(),
  workerHeapMb: z.number(),
  hogEvery: z.number(),
  taskMs: z.number(),
  /** The most the scenario may hold at once (heap objects and buffers together); allocations beyond it are skipped and counted. */
  maxRetainedBytes: z.number().positive(),
});
export type SandboxStart = z.infer<typeof SandboxStartSchema>;

/**
 * Share of the machine's memory a memory scenario may hold at once. Buffers
 * live outside the V8 heap, so --max-old-space-size does not bound them; this
 * does, before and while the scenario runs.
 */
export const MEMORY_SCENARIO_MAX_SHARE = 0.5;

/**
 * The most a scenario would hold at once if nothing lagged: a leak keeps
 * everything it made, churn and buffers what lives for retainMs, the OOM
 * scenario its two workers' heaps; the CPU scenarios hold next to nothing.
 */
export function plannedRetainedBytes(
  spec: Pick<MemorySpec, 'scenario' | 'rate' | 'durationSec' | 'retainMs' | 'workerHeapMb' | 'objectSizeBytes' | 'maxOldSpaceMb'>,
): number {
  const size = spec.objectSizeBytes ?? defaultObjectSizeBytes[spec.scenario];
  // Heap objects cannot outgrow --max-old-space-size: the sandbox runs out of heap first. Buffers can.
  const heapBound = spec.maxOldSpaceMb ? spec.maxOldSpaceMb * 1024 * 1024 : Infinity;
  // At least one object is alive at a time, however short retainMs is.
  const churning = Math.max(1, spec.rate * (spec.retainMs / 1_000)) * size;
  switch (spec.scenario) {
    case 'leak':
      return Math.min(heapBound, spec.rate * spec.durationSec * size);
    case 'churn':
      return Math.min(heapBound, churning);
    case 'buffers':
      return churning;
    case 'oom-worker':
      return 2 * spec.workerHeapMb * 1024 * 1024;
    case 'cpu-main':
    case 'cpu-pool':
      return 0;
  }
}

export const eventLoopPhases = ['sync', 'nextTick', 'microtask', 'timers', 'poll', 'check'] as const;
export const PhaseStepSchema = z.object({ label: z.string(), phase: z.enum(eventLoopPhases), atMs: z.number() });
export type PhaseStep = z.infer<typeof PhaseStepSchema>;

/** What each step of a phase trace means, shown next to the recorded order. */
export const eventLoopPhaseNotes: Record<(typeof eventLoopPhases)[number], string> = {
  sync: 'The current script or callback runs to completion; nothing interrupts it.',
  nextTick: 'process.nextTick callbacks run as soon as the current operation ends, before promise callbacks.',
  microtask: 'Promise reactions (microtasks) run right after the nextTick queue empties, still before the loop moves on.',
  timers: 'Timers phase: expired setTimeout / setInterval callbacks. From the main script, a 0 ms timer may run before or after an immediate, depending on how long start-up took.',
  poll: 'Poll phase: I/O callbacks (here fs.readFile) run when their operation completes.',
  check: 'Check phase: setImmediate callbacks, right after poll. Inside an I/O callback an immediate always runs before a 0 ms timer.',
};

/** Memory sandbox → engine (besides probe batches and replies). */
export const SandboxMessageSchema = z.discriminatedUnion('type', [
  /** node: the sandbox's Node.js version, recorded in the run's environment. */
  z.object({ type: z.literal('sandbox.ready'), pid: z.number(), node: z.string().max(100).optional() }),
  z.object({
    type: z.literal('sandbox.event'),
    event: z.string(),
    message: z.string(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({ type: z.literal('sandbox.done'), stats: z.record(z.string(), z.number()) }),
  z.object({ type: z.literal('sandbox.error'), message: z.string() }),
  z.object({ type: z.literal('sandbox.trace'), steps: z.array(PhaseStepSchema) }),
  /** Heartbeat timer lateness: t in epoch ms, v in ms late. */
  z.object({ type: z.literal('sandbox.heartbeat'), t: z.array(z.number()), v: z.array(z.number()) }),
]);
export type SandboxMessage = z.infer<typeof SandboxMessageSchema>;
