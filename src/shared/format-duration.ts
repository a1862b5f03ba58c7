/**
 * A duration as people read it, the same in the CLI, reports and pages:
 * "850 ms", "42.5 s", "3 min 11 s"; "—" for a value that is not a duration.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  // 119.6 s is 2 min 0 s, not 1 min 60 s.
  return rest === 60 ? `${minutes + 1} min 0 s` : `${minutes} min ${rest} s`;
}
