import { describe, expect, it } from 'vitest';
import { formatValue } from '../src/main/engine/studies/report/format.js';
import { displayUnit, displayValue, formatMetric, formatNumber } from '../src/renderer/format.js';
import type { MetricValue } from '../src/shared/metrics.js';

/** The load kind's balance metric: the busiest worker took 1.94 times its fair share. */
const balance: MetricValue = { value: 1.94, unit: '×', label: 'busiest worker share ÷ fair share', better: 'lower' };

describe('a multiple (busiest worker share ÷ fair share)', () => {
  it('reads as 1.94 and × in the value and unit columns of the Cluster page summary, not as 194 %', () => {
    // The cells SummaryTable renders.
    expect(formatNumber(displayValue(balance.value, balance.unit))).toBe('1.94');
    expect(displayUnit(balance.unit)).toBe('×');
  });

  it('reads as 1.94× in the runs list and in reports', () => {
    expect(formatMetric(balance)).toBe('1.94×');
    expect(formatValue(balance.value, balance.unit)).toBe('1.94×');
  });

  it('leaves 0..1 ratios as percentages', () => {
    expect(formatMetric({ value: 0.5, unit: 'ratio' })).toBe('50 %');
    expect(formatValue(0.5, 'ratio')).toBe('50 %');
  });
});
