import type { Block, ReportDocument } from './document.js';

/** Markdown for a pull request: the same document as the HTML report, charts left out. */
export function renderMarkdown(document: ReportDocument): string {
  const parts = [`# ${escapeInline(document.title)}`, `_${escapeInline(document.subtitle)}_`, ...document.blocks.map(renderBlock).filter(Boolean)];
  return `${parts.join('\n\n')}\n`;
}

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'heading':
      return `## ${escapeInline(block.text)}`;
    case 'paragraph':
      return escapeInline(block.text);
    case 'list':
      return block.items.map((item) => `- ${escapeInline(item)}`).join('\n');
    case 'table': {
      const row = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
      return [row(block.header), row(block.header.map(() => '---')), ...block.rows.map(row)].join('\n');
    }
    case 'chart':
      return `_Chart: ${escapeInline(block.caption)} (drawn in the HTML report)_`;
    case 'code': {
      // Longer than any run of backticks inside, so nothing in the text can close the block.
      const longestRun = Math.max(0, ...(block.text.match(/`+/g) ?? []).map((run) => run.length));
      const fence = '`'.repeat(Math.max(3, longestRun + 1));
      return `${fence}json\n${block.text}\n${fence}`;
    }
  }
}

/** A table cell: not a line start, so only inline markup and the cell separator matter. */
function escapeCell(text: string): string {
  return escapeChars(text).replace(/\|/g, '\\|');
}

/**
 * Text from records (names, ids, labels: possibly from an imported file) as
 * plain inline Markdown: one line, every character that could start markup
 * (emphasis, links, images, HTML, code) escaped, and at the start of the line
 * whatever would open a block (heading, list, setext underline).
 */
function escapeInline(text: string): string {
  const escaped = escapeChars(text).trimStart();
  if (/^[#+=-]/.test(escaped)) return `\\${escaped}`;
  return escaped.replace(/^(\d+)([.)])/, '$1\\$2');
}

function escapeChars(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/([\\`*_<>[\]!~&])/g, '\\$1');
}
