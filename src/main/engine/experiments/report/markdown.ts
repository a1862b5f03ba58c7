import type { Block, ReportDocument } from './document.js';

/** Markdown for a pull request: the same document as the HTML report, charts left out. */
export function renderMarkdown(document: ReportDocument): string {
  const parts = [`# ${document.title}`, `_${escapeInline(document.subtitle)}_`, ...document.blocks.map(renderBlock).filter(Boolean)];
  return `${parts.join('\n\n')}\n`;
}

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'heading':
      return `## ${block.text}`;
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
      const fence = block.text.includes('```') ? '~~~~' : '```';
      return `${fence}json\n${block.text}\n${fence}`;
    }
  }
}

function escapeCell(text: string): string {
  return escapeInline(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function escapeInline(text: string): string {
  return text.replace(/([\\`*_<>[\]])/g, '\\$1');
}
