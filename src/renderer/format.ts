import type { MetricValue, Unit } from '../shared/metrics.js';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A number as people read it in a dense table: grouped thousands, three significant digits for small values. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) || magnitude >= 1000) return grouped.format(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude === 0) return '0';
  return String(Number(value.toPrecision(3)));
}

/** Ratios are stored 0..1 but read as percentages. */
export function displayUnit(unit: Unit): string {
  if (unit === 'ratio' || unit === 'percent') return '%';
  if (unit === 'count') return '';
  return unit;
}

export function displayValue(value: number, unit: Unit): number {
  return unit === 'ratio' ? value * 100 : value;
}

export function formatMetric(metric: Pick<MetricValue, 'value' | 'unit'>): string {
  const unit = displayUnit(metric.unit);
  const text = formatNumber(displayValue(metric.value, metric.unit));
  if (metric.unit === '×') return `${text}×`;
  return unit ? `${text} ${unit}` : text;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Metric keys are camelCase or dotted (latency.p99); a label is kinder when the kind gave none. */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
