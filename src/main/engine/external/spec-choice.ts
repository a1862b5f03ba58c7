/** Which spec an imported run records: the one the user named, the one the results carry, or one rebuilt from them. */
import type { LoadSpec } from '../../../shared/specs/load.js';
import { specChanges } from '../studies/compare.js';

export type SpecChoice =
  /** --spec <file>, or the spec of the sweep point the run is attached to. */
  | { type: 'given'; spec: LoadSpec; source: string }
  | { type: 'none' };

export function resolveSpec(
  choice: SpecChoice,
  carried: LoadSpec | undefined,
  rebuild: () => LoadSpec,
): { spec: LoadSpec; source: string; warnings: string[] } {
  const warnings: string[] = [];
  if (choice.type === 'given') {
    if (carried) {
      const changes = specChanges(carried as unknown as Record<string, unknown>, choice.spec as unknown as Record<string, unknown>);
      if (changes.length) {
        const list = changes
          .slice(0, 8)
          .map((change) => `${change.path} ${JSON.stringify(change.baseline)} → ${JSON.stringify(change.candidate)}`)
          .join(', ');
        warnings.push(`The results ran a different spec than ${choice.source} (${list}${changes.length > 8 ? ', …' : ''}); the run records ${choice.source}.`);
      }
    }
    return { spec: choice.spec, source: choice.source, warnings };
  }
  if (carried) return { spec: carried, source: 'carried by the results (exported by Tunebench)', warnings };
  const spec = rebuild();
  warnings.push('The results carry no spec (the script was not exported by Tunebench): the run\'s spec is rebuilt from what they show; pass --spec <load-spec.json> to record the real one.');
  return { spec, source: 'rebuilt from the results', warnings };
}
