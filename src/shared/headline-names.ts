/**
 * The short names of a run's headline numbers — the runs list's column, the
 * line beside a page's Run button, `tunebench runs` — one table keyed by
 * metric, all lower case. The summary's labels are sentences for the summary
 * table ("Throughput (answers received per second in the measured window)").
 */
const HEADLINE_NAMES: Readonly<Record<string, string>> = {
  throughput: 'throughput',
  // A pool's is queue wait plus run time; a db's is a query's; a load's is a request's.
  latencyP95: 'latency p95',
  latencyP99: 'latency p99',
  'latency.p99': 'latency p99',
  runP95: 'run time p95',
  waitP95: 'queue wait p95',
  errors: 'errors',
  errorRate: 'error rate',
  'leak.slopeMbPerMin': 'live-set growth',
  peakHeapUsed: 'peak heap',
  'gc.major.pauseMs': 'major GC pause',
  maxEldP99: 'worst loop delay p99',
};

/** A headline number's short name: the table's, else its label without the bracketed explanation (or its key in words), lower case. */
export function headlineName(key: string, label?: string): string {
  const known = HEADLINE_NAMES[key];
  if (known) return known;
  const text = label?.replace(/\s*\([^)]*\)/g, '').trim() || key.replace(/([a-z0-9])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`).replace(/[_.-]+/g, ' ');
  // Lower case, but an acronym (CPU, GC) stays as it is.
  return /^[A-Z][A-Z]/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}

/** A metric where its key matters too (tables of every metric, pickers): 'latency p99 (latencyP99)', the key alone without a label of its own. */
export function labelWithKey(key: string, label?: string): string {
  return label && label !== key ? `${label} (${key})` : key;
}
