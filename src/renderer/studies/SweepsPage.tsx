import type { PageProps } from '../app/pages.js';
import { SweepBuilderPage } from './SweepBuilderPage.js';
import { SweepDetail } from './SweepDetail.js';
import { SweepsList } from './SweepsList.js';

/** #/sweeps: the list; #/sweeps/new: the builder; #/sweeps/<id>: one sweep (a page of its own for each, so no state carries from one to the next). */
export function SweepsPage({ route }: PageProps) {
  const id = route.params[0];
  if (id === 'new') return <SweepBuilderPage query={route.query} />;
  return id ? <SweepDetail key={id} sweepId={id} /> : <SweepsList />;
}
