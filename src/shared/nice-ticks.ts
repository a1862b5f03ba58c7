/**
 * About `count` round tick values covering [min, max] (steps of 1, 2, 2.5 or 5
 * times a power of ten), for the SVG charts of reports and the forest plot.
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  const rawStep = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rawStep) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let tick = Math.floor(min / step) * step; tick <= max + step * 0.5; tick += step) ticks.push(Number(tick.toPrecision(12)));
  return ticks;
}
