import type { Block, ReportDocument } from './document.js';
import { escapeXml } from './svg.js';

/**
 * One self-contained page: inline style and SVG, no script, no link to
 * anything outside the file, so it opens offline and prints cleanly.
 */
const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; margin: 24px auto; max-width: 980px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
.subtitle { color: #4b5563; margin: 0 0 16px; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #e5e7eb; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f9fafb; }
pre { background: #f9fafb; border: 1px solid #e5e7eb; padding: 8px; overflow-x: auto; font-size: 12px; white-space: pre-wrap; }
figure { margin: 12px 0; break-inside: avoid; } figcaption { color: #4b5563; font-size: 12px; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg .grid { stroke: #eef0f3; } svg .axis { stroke: #9ca3af; } svg .tick { font-size: 10px; fill: #4b5563; }
svg .chart-title { font-size: 12px; font-weight: 600; fill: #111827; } svg .highlight { fill: #fde68a; opacity: 0.45; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, pre { break-inside: avoid; } }
`;

export function renderHtml(document: ReportDocument): string {
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    // Forbids any fetch should a future edit add one: the report must work offline.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<title>${escapeXml(document.title)} — Tunebench report</title><style>${STYLE}</style></head><body>` +
    `<h1>${escapeXml(document.title)}</h1><p class="subtitle">${escapeXml(document.subtitle)}</p>` +
    document.blocks.map(renderBlock).join('\n') +
    '</body></html>\n'
  );
}

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'heading':
      return `<h2>${escapeXml(block.text)}</h2>`;
    case 'paragraph':
      return `<p>${escapeXml(block.text)}</p>`;
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${escapeXml(item)}</li>`).join('')}</ul>`;
    case 'table': {
      const head = block.header.some(Boolean) ? `<thead><tr>${block.header.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead>` : '';
      const body = block.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeXml(cell)}</td>`).join('')}</tr>`).join('');
      return `<table>${head}<tbody>${body}</tbody></table>`;
    }
    case 'chart':
      return `<figure>${block.svg}<figcaption>${escapeXml(block.caption)}</figcaption></figure>`;
    case 'code':
      return `<pre>${escapeXml(block.text)}</pre>`;
  }
}
