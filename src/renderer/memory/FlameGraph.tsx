import { useMemo, useState } from 'react';
import { formatNumber } from '../format.js';
import { lineage, matchedTime, matches, type FlameGraph as Graph, type Frame } from './flame-graph.js';

const ROW_PX = 18;
/** Frames narrower than this share of the shown range are left out (they could not hold a pixel of text). */
const MIN_WIDTH = 0.002;

const categoryNames: Record<Frame['category'], string> = {
  app: 'your code',
  dependency: 'node_modules',
  node: 'Node.js',
  v8: 'V8 (program, GC, idle)',
};

/** A stable colour per function within its category's hue band. */
function colourOf(frame: Frame): string {
  let hash = 0;
  for (let i = 0; i < frame.name.length; i++) hash = (hash * 31 + frame.name.charCodeAt(i)) | 0;
  const jitter = Math.abs(hash) % 24;
  switch (frame.category) {
    case 'app':
      return `hsl(${18 + jitter}, 85%, ${62 + (jitter % 8)}%)`;
    case 'dependency':
      return `hsl(${265 + jitter}, 45%, ${72 + (jitter % 6)}%)`;
    case 'node':
      return `hsl(${180 + jitter}, 40%, ${68 + (jitter % 6)}%)`;
    case 'v8':
      return `hsl(220, 8%, ${78 + (jitter % 8)}%)`;
  }
}

const ms = (value: number) => `${formatNumber(value)} ms`;

/**
 * A CPU profile as an icicle: callers above callees, each as wide as its time.
 * Click a frame (or press Enter on it) to zoom to it, an ancestor above it to
 * zoom back out; the search marks every frame whose function or file matches
 * and says how much of the time they hold.
 */
export function FlameGraph({ graph, label }: { graph: Graph; label: string }) {
  const [zoom, setZoom] = useState(0);
  const [search, setSearch] = useState('');
  const focus = graph.frames[zoom] ?? graph.frames[0];
  const matched = useMemo(() => (search.trim() ? matchedTime(graph, search) : 0), [graph, search]);
  if (!focus || graph.totalMs <= 0) return <p className="muted">The profile has no samples.</p>;

  const ancestors = lineage(graph, focus.index).slice(0, -1);
  const from = focus.start;
  const span = focus.total || 1;
  const end = from + span;
  const shown = graph.frames.filter(
    (frame) =>
      frame.depth >= focus.depth &&
      frame.start >= from - 1e-9 &&
      frame.start < end - 1e-9 &&
      frame.start + frame.total <= end + 1e-6 &&
      frame.total / span >= MIN_WIDTH,
  );
  const rows = Math.max(...shown.map((frame) => frame.depth), focus.depth) + 1;
  const searching = search.trim().length > 0;

  const frameButton = (frame: Frame, left: number, width: number, ancestor: boolean) => {
    const hit = searching && matches(frame, search);
    const share = (frame.total / graph.totalMs) * 100;
    const title = `${frame.name}${frame.where ? ` (${frame.where})` : ''}: ${ms(frame.total)} (${formatNumber(share)}% of the profile), self ${ms(frame.self)}`;
    const classes = ['flame-frame'];
    if (hit) classes.push('flame-match');
    else if (searching) classes.push('flame-dim');
    if (ancestor) classes.push('flame-ancestor');
    if (frame.index === focus.index && focus.index !== 0) classes.push('flame-focus');
    return (
      <button
        key={frame.index}
        type="button"
        className={classes.join(' ')}
        style={{
          left: `${left * 100}%`,
          width: `${width * 100}%`,
          top: frame.depth * ROW_PX,
          background: hit ? undefined : colourOf(frame),
        }}
        title={title}
        aria-label={title}
        onClick={() => setZoom(frame.index)}
      >
        {width * 100 > 1.5 ? frame.name : ''}
      </button>
    );
  };

  return (
    <figure className="flame-graph" aria-label={label}>
      <div className="flame-toolbar">
        <label className="flame-search">
          Search{' '}
          <input type="search" value={search} placeholder="function or file" onChange={(event) => setSearch(event.target.value)} />
        </label>
        {searching && (
          <span className="muted" role="status">
            {formatNumber((matched / graph.totalMs) * 100)}% of the time in matching functions ({ms(matched)})
          </span>
        )}
        <button type="button" onClick={() => setZoom(0)} disabled={focus.index === 0}>
          Reset zoom
        </button>
        {focus.index !== 0 && (
          <span className="muted">
            Zoomed to {focus.name}: {ms(focus.total)}
          </span>
        )}
      </div>
      <div className="flame-scroll">
        <div className="flame-canvas" style={{ height: rows * ROW_PX }}>
          {ancestors.map((frame) => frameButton(frame, 0, 1, true))}
          {shown.map((frame) => frameButton(frame, (frame.start - from) / span, frame.total / span, false))}
        </div>
      </div>
      <figcaption className="flame-legend muted">
        {(Object.keys(categoryNames) as Frame['category'][]).map((category) => (
          <span key={category}>
            <span className="flame-swatch" style={{ background: colourOf({ name: '', category } as Frame) }} /> {categoryNames[category]}
          </span>
        ))}
        <span>Callers above callees; width is time. Click a frame to zoom.</span>
      </figcaption>
    </figure>
  );
}
