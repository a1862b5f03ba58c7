/**
 * The top of a percent axis: 100, or — for CPU of all threads, which passes
 * 100% of one core on more than one core — the first top above the data whose
 * quarters are round (the axis draws five ticks), so it reads 0, 30, 60, 90,
 * 120 rather than ending at 102.
 */
const TOPS = [100, 120, 160, 200, 240, 300, 400, 600, 800, 1_200, 1_600, 2_000, 2_400, 3_200];

export function percentAxisTop(dataMax: number): number {
  if (!Number.isFinite(dataMax) || dataMax <= 100) return 100;
  return TOPS.find((top) => top >= dataMax) ?? Math.ceil(dataMax / 800) * 800;
}
