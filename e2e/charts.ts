import type { Locator } from '@playwright/test';

/** Number of points in the first drawn line of a chart (an SVG path "M x,y L x,y …"). */
export async function drawnPoints(chart: Locator): Promise<number> {
  const path = chart.locator('path.recharts-line-curve').first();
  if ((await path.count()) === 0) return 0;
  const d = (await path.getAttribute('d')) ?? '';
  return (d.match(/[ML]/g) ?? []).length;
}
