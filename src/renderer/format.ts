import type { MetricValue, Unit } from '../shared/metrics.js';

/**
 * 1234567 → "1,234,567", rounded half away from zero. Written out rather than
 * Intl.NumberFormat: creating one costs some 30 ms of ICU set-up in the task
 * that first loads this module, which is the page's first paint.
 */
function grouped(value: number): string {
  const magnitude = Math.round(Math.abs(value));
  if (magnitude >= 1e21) return String(value);
  const digits = String(magnitude).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return value < 0 && magnitude !== 0 ? `-${digits}` : digits;
}

/** A number as people read it in a dense table: grouped thousands, three significant digits for small values. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) || magnitude >= 1000) return grouped(value);
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

export { formatDuration } from '../shared/format-duration.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
const twoDigits = (value: number) => String(value).padStart(2, '0');

/**
 * "25 Nov 2026, 22:49:38" in local time (en-GB medium date and time). Written
 * out for the same reason as grouped(): the first Intl.DateTimeFormat costs
 * some 25 ms of ICU set-up inside the render that first shows a date.
 */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`;
  return `${day}, ${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
}

/** Metric keys are camelCase or dotted (latency.p99); a label is kinder when the kind gave none. */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
