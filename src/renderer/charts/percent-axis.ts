/**
 * The top of a percent axis: 100, or — for CPU of all threads, which passes
 * 100% of one core on more than one core — the next round step above the data,
 * so the top tick reads 150, not 102.
 */
export function percentAxisTop(dataMax: number): number {
  if (!Number.isFinite(dataMax) || dataMax <= 100) return 100;
  const step = dataMax <= 400 ? 50 : 100;
  return Math.ceil(dataMax / step) * step;
}
