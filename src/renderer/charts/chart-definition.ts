/** One chart of a run: a title and the series it draws, by the names the kind emits. */
export interface ChartDefinition {
  id: string;
  title: string;
  lines: Array<{ series: string; label?: string }>;
}

/** Every chart's accessible name, so tests and screen readers find it the same way. */
export function chartAccessibleName(definition: ChartDefinition): string {
  return `${definition.title} chart`;
}
