/**
 * The Load page's two forms as text fields, the cluster's settings and the
 * load run, and their translation to a ClusterSettings and a LoadSpec.
 * Validation is the engine's own zod schemas; their issues map back to fields.
 */
import { ClusterFaultSchema, ClusterSettingsSchema, type ClusterFault, type ClusterSettingsInput } from '../../shared/specs/cluster.js';
import { exampleLoadSpec, LoadSpecSchema, type LoadSpecInput, type RequestMixEntry } from '../../shared/specs/load.js';
import { defined, describeIssue, readNumber } from '../form-issues.js';

export type SchedulingPolicy = 'round-robin' | 'os';
export type HttpMethod = RequestMixEntry['method'];
export const httpMethods: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

export interface ClusterForm {
  workers: string;
  scheduling: SchedulingPolicy;
  maxOldSpaceMb: string;
  uvThreadpoolSize: string;
  keepAliveTimeoutMs: string;
  poolThreads: string;
  offload: boolean;
  probeIntervalMs: string;
}
export type ClusterNumberKey =
  | 'workers'
  | 'maxOldSpaceMb'
  | 'uvThreadpoolSize'
  | 'keepAliveTimeoutMs'
  | 'poolThreads'
  | 'probeIntervalMs';
export type ClusterFormErrors = Partial<Record<ClusterNumberKey | 'scheduling' | 'offload' | 'form', string>>;

/** Where a load run sends its requests. */
export type LoadTargetChoice = 'running-cluster' | 'cluster' | 'url' | 'service';

export interface MixRow {
  /** Stable across edits and removals, for React keys. */
  id: number;
  method: HttpMethod;
  path: string;
  weight: string;
  body: string;
}

export interface LoadForm {
  name: string;
  target: LoadTargetChoice;
  url: string;
  /** A defined service (target "service") and the knob values typed for it; empty means the knob's default. */
  service: string;
  knobs: Record<string, string>;
  database: '' | 'none' | 'embedded';
  mode: 'closed' | 'open';
  connections: string;
  rate: string;
  durationSec: string;
  warmupSec: string;
  timeoutMs: string;
  requests: string;
  mix: MixRow[];
}
export type LoadNumberKey = 'connections' | 'rate' | 'durationSec' | 'warmupSec' | 'timeoutMs' | 'requests';
/** Keys: a field's name, `mix.<row>.<method|path|weight|body>`, or `form` for what belongs to no field. */
export type LoadFormErrors = Record<string, string>;

/** The test server's endpoints, offered as suggestions in the request mix. */
export const suggestedPaths = [
  '/health',
  '/io?ms=20',
  '/cpu?iterations=1000000',
  '/fibonacci/25',
  '/primes/100000',
  '/memory?mb=1',
  '/matrix-multiply',
  '/pool-status',
];

let nextRowId = 1;
export function mixRow(entry: Partial<Omit<MixRow, 'id'>> = {}): MixRow {
  return { id: nextRowId++, method: entry.method ?? 'GET', path: entry.path ?? '/health', weight: entry.weight ?? '1', body: entry.body ?? '' };
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

export function clusterFormFromSettings(raw: unknown): ClusterForm {
  const parsed = ClusterSettingsSchema.safeParse(raw ?? {});
  const settings = parsed.success ? parsed.data : ClusterSettingsSchema.parse({});
  return {
    workers: text(settings.workers),
    scheduling: settings.scheduling,
    maxOldSpaceMb: text(settings.maxOldSpaceMb),
    uvThreadpoolSize: text(settings.uvThreadpoolSize),
    keepAliveTimeoutMs: text(settings.keepAliveTimeoutMs),
    poolThreads: text(settings.poolThreads),
    offload: settings.offload,
    probeIntervalMs: text(settings.probeIntervalMs),
  };
}

export function defaultClusterForm(): ClusterForm {
  return clusterFormFromSettings({ workers: 2 });
}

export function settingsFromForm(form: ClusterForm): { settings: ClusterSettingsInput; errors: ClusterFormErrors; valid: boolean } {
  const errors: ClusterFormErrors = {};
  const settings = defined({
    workers: readNumber('workers', form.workers, errors),
    scheduling: form.scheduling,
    maxOldSpaceMb: readNumber('maxOldSpaceMb', form.maxOldSpaceMb, errors),
    uvThreadpoolSize: readNumber('uvThreadpoolSize', form.uvThreadpoolSize, errors),
    keepAliveTimeoutMs: readNumber('keepAliveTimeoutMs', form.keepAliveTimeoutMs, errors),
    poolThreads: readNumber('poolThreads', form.poolThreads, errors),
    offload: form.offload,
    probeIntervalMs: readNumber('probeIntervalMs', form.probeIntervalMs, errors),
  });
  // An empty box silently becoming the default would surprise; optional ones may stay empty.
  for (const field of ['workers', 'keepAliveTimeoutMs', 'poolThreads', 'probeIntervalMs'] as const) {
    if (form[field].trim() === '' && !errors[field]) errors[field] = 'Required';
  }
  const parsed = ClusterSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'form');
      const field = (key in form ? key : 'form') as keyof ClusterFormErrors;
      errors[field] ??= describeIssue(issue);
    }
  }
  return { settings, errors, valid: Object.keys(errors).length === 0 };
}

export function defaultLoadForm(): LoadForm {
  return { ...loadFormFromSpec(exampleLoadSpec).form, name: '', target: 'running-cluster' };
}

/**
 * A saved run's spec as forms. A run that started its own cluster brings that
 * cluster's settings along, so "Edit and rerun" repeats it exactly.
 */
export function loadFormFromSpec(raw: unknown): { form: LoadForm; cluster?: ClusterForm } {
  const parsed = LoadSpecSchema.safeParse(raw);
  const spec = parsed.success ? parsed.data : LoadSpecSchema.parse(exampleLoadSpec);
  const { load, target } = spec;
  return {
    form: {
      name: spec.name ?? '',
      target: target.type,
      url: target.type === 'url' ? target.url : 'http://127.0.0.1:8080',
      service: target.type === 'service' ? target.service : '',
      knobs: target.type === 'service' ? Object.fromEntries(Object.entries(target.knobs).map(([name, value]) => [name, String(value)])) : {},
      database: target.type === 'service' ? (target.database ?? '') : '',
      mode: load.mode,
      connections: text(load.connections),
      rate: text(load.rate),
      durationSec: text(load.durationSec),
      warmupSec: text(load.warmupSec),
      timeoutMs: text(load.timeoutMs),
      requests: text(load.requests),
      mix: load.mix.map((entry) => mixRow({ method: entry.method, path: entry.path, weight: text(entry.weight), body: entry.body ?? '' })),
    },
    ...(target.type === 'cluster' ? { cluster: clusterFormFromSettings(target.cluster) } : {}),
  };
}

/** Maps a LoadSpec issue path to the form field that shows it. */
function loadFieldOf(path: PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  if (head === 'load') return rest.join('.') || 'form';
  if (head === 'target') {
    if (rest[0] === 'knobs' && rest[1] !== undefined) return `knobs.${rest[1]}`;
    return rest[0] === 'url' ? 'url' : rest[0] === 'cluster' ? 'cluster' : rest[0] === 'service' ? 'service' : 'form';
  }
  if (head === 'name') return 'name';
  return 'form';
}

/**
 * The load form as a spec; a target of "a cluster for this run" takes the
 * cluster form's settings, whose own errors the cluster form shows.
 */
export function loadSpecFromForm(
  form: LoadForm,
  cluster: ClusterForm,
  /** The chosen service's knob types, so "10" becomes a number and "true" a boolean only where the knob says so. */
  knobTypes: Record<string, KnobType> = {},
): { spec: LoadSpecInput; errors: LoadFormErrors; valid: boolean } {
  const errors: LoadFormErrors = {};
  const mix = form.mix.map((row, index) =>
    defined({
      method: row.method,
      path: row.path.trim(),
      weight: readNumber(`mix.${index}.weight`, row.weight, errors),
      body: row.body === '' ? undefined : row.body,
    }),
  );
  for (const [index, row] of form.mix.entries()) {
    if (row.weight.trim() === '' && !errors[`mix.${index}.weight`]) errors[`mix.${index}.weight`] = 'Required';
  }
  const load = defined({
    mode: form.mode,
    connections: readNumber('connections', form.connections, errors),
    // The rate box stays filled while closed loop is chosen; only open loop sends it.
    rate: form.mode === 'open' ? readNumber('rate', form.rate, errors) : undefined,
    durationSec: readNumber('durationSec', form.durationSec, errors),
    warmupSec: readNumber('warmupSec', form.warmupSec, errors),
    timeoutMs: readNumber('timeoutMs', form.timeoutMs, errors),
    requests: readNumber('requests', form.requests, errors),
    mix,
  });
  for (const field of ['connections', 'durationSec', 'warmupSec', 'timeoutMs'] as const) {
    if (form[field].trim() === '' && !errors[field]) errors[field] = 'Required';
  }

  let target: LoadSpecInput['target'];
  if (form.target === 'url') target = { type: 'url', url: form.url.trim() };
  else if (form.target === 'running-cluster') target = { type: 'running-cluster' };
  else if (form.target === 'service') {
    if (!form.service) errors.service = 'Choose a service';
    target = defined({
      type: 'service' as const,
      service: form.service,
      knobs: knobValuesFromForm(form.knobs, knobTypes, errors),
      database: form.database === '' ? undefined : form.database,
    });
  }
  else {
    const fromCluster = settingsFromForm(cluster);
    if (!fromCluster.valid) errors.cluster = 'Fix the cluster settings above first';
    target = { type: 'cluster', cluster: fromCluster.settings };
  }

  const spec = defined({ kind: 'load' as const, name: form.name.trim() || undefined, target, load }) as LoadSpecInput;
  const parsed = LoadSpecSchema.safeParse(spec);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[loadFieldOf(issue.path)] ??= describeIssue(issue);
  }
  return { spec, errors, valid: Object.keys(errors).length === 0 };
}

export type KnobType = 'integer' | 'number' | 'enum' | 'boolean';

/** Typed knob values from their text boxes; an empty box leaves the knob at its default. */
export function knobValuesFromForm(
  texts: Record<string, string>,
  types: Record<string, KnobType>,
  errors: LoadFormErrors,
): Record<string, number | string | boolean> {
  const values: Record<string, number | string | boolean> = {};
  for (const [name, raw] of Object.entries(texts)) {
    const value = raw.trim();
    if (value === '') continue;
    const type = types[name];
    if (type === 'boolean') {
      if (value === 'true' || value === 'false') values[name] = value === 'true';
      else errors[`knobs.${name}`] = 'true or false';
    } else if (type === 'integer' || type === 'number') {
      const number = Number(value);
      if (Number.isFinite(number)) values[name] = number;
      else errors[`knobs.${name}`] = 'Enter a number';
    } else {
      values[name] = value;
    }
  }
  return values;
}

/** The numbers the fault buttons use; kill -9 needs none. */
export interface FaultForm {
  blockMs: string;
  leakMbPerSecond: string;
  leakSeconds: string;
}
export type FaultFormErrors = Partial<Record<keyof FaultForm | 'form', string>>;

export function defaultFaultForm(): FaultForm {
  const block = ClusterFaultSchema.parse({ action: 'block', slot: 0 });
  const leak = ClusterFaultSchema.parse({ action: 'leak', slot: 0 });
  return {
    blockMs: text(block.action === 'block' ? block.ms : ''),
    leakMbPerSecond: text(leak.action === 'leak' ? leak.mbPerSecond : ''),
    leakSeconds: text(leak.action === 'leak' ? leak.seconds : ''),
  };
}

const faultFieldByKey: Record<string, keyof FaultForm> = { ms: 'blockMs', mbPerSecond: 'leakMbPerSecond', seconds: 'leakSeconds' };

/** Checks the fault numbers for every action at once, so the fields show their problems before a button is pressed. */
export function faultErrors(form: FaultForm): FaultFormErrors {
  const errors: FaultFormErrors = {};
  for (const action of ['block', 'leak'] as const) {
    const candidate = faultCandidate(action, 0, form, errors);
    const parsed = ClusterFaultSchema.safeParse(candidate);
    if (parsed.success) continue;
    for (const issue of parsed.error.issues) errors[faultFieldByKey[String(issue.path[0])] ?? 'form'] ??= describeIssue(issue);
  }
  return errors;
}

function faultCandidate(action: ClusterFault['action'], slot: number, form: FaultForm, errors: FaultFormErrors): unknown {
  // Empty is an error here: the button would otherwise act with a default the user did not see.
  const required = (key: keyof FaultForm) => {
    const value = readNumber(key, form[key], errors);
    if (value === undefined) errors[key] ??= 'Required';
    return value;
  };
  switch (action) {
    case 'kill':
      return { action, slot };
    case 'block':
      return { action, slot, ms: required('blockMs') };
    case 'leak':
      return { action, slot, mbPerSecond: required('leakMbPerSecond'), seconds: required('leakSeconds') };
  }
}

/** The fault a button asks for, or undefined when the numbers it needs are wrong (faultErrors says why). */
export function faultFromForm(action: ClusterFault['action'], slot: number, form: FaultForm): ClusterFault | undefined {
  const errors: FaultFormErrors = {};
  const candidate = faultCandidate(action, slot, form, errors);
  // An unreadable number must not fall back to the schema's default.
  if (Object.keys(errors).length) return undefined;
  const parsed = ClusterFaultSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}
