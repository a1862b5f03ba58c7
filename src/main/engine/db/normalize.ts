import { createHash } from 'node:crypto';

export interface NormalizedQuery {
  /** The statement with every literal replaced by ?, comments dropped and whitespace folded. */
  text: string;
  /** A short stable id of the normalized text. */
  hash: string;
}

const cache = new Map<string, NormalizedQuery>();
const CACHE_LIMIT = 5_000;

/**
 * Normalizes a statement the way pg_stat_statements groups them: `where id = 1`
 * and `where id = 2` become one entry. Parameter placeholders ($1) stay;
 * their values are never part of the text. Cached, since workloads repeat a
 * handful of statements millions of times.
 */
export function normalizeQuery(sql: string): NormalizedQuery {
  const cached = cache.get(sql);
  if (cached) return cached;
  const text = normalizeText(sql);
  const normalized = { text, hash: createHash('sha1').update(text).digest('hex').slice(0, 16) };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(sql, normalized);
  return normalized;
}

function isIdentChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\w$]/.test(ch);
}

function normalizeText(sql: string): string {
  const out: string[] = [];
  let pendingSpace = false;
  const emit = (token: string) => {
    if (pendingSpace && out.length) out.push(' ');
    pendingSpace = false;
    out.push(token);
  };
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(ch)) {
      pendingSpace = true;
      i++;
    } else if (ch === '-' && next === '-') {
      while (i < n && sql[i] !== '\n') i++;
      pendingSpace = true;
    } else if (ch === '/' && next === '*') {
      // Block comments nest in PostgreSQL.
      let depth = 0;
      do {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      } while (i < n && depth > 0);
      pendingSpace = true;
    } else if (ch === "'" || ((ch === 'E' || ch === 'e') && next === "'" && !isIdentChar(sql[i - 1]))) {
      const escapes = ch !== "'";
      i += escapes ? 2 : 1;
      while (i < n) {
        if (escapes && sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") {
          i++;
          break;
        } else i++;
      }
      emit('?');
    } else if (ch === '"') {
      const start = i++;
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') {
          i++;
          break;
        } else i++;
      }
      emit(sql.slice(start, i));
    } else if (ch === '$' && /\d/.test(next ?? '') && !isIdentChar(sql[i - 1])) {
      const start = i++;
      while (i < n && /\d/.test(sql[i]!)) i++;
      emit(sql.slice(start, i));
    } else if (ch === '$' && !isIdentChar(sql[i - 1])) {
      const tag = /^\$([A-Za-z_]\w*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? n : end + tag[0].length;
        emit('?');
      } else {
        emit(ch);
        i++;
      }
    } else if (/\d/.test(ch) || (ch === '.' && /\d/.test(next ?? ''))) {
      if (isIdentChar(sql[i - 1])) {
        emit(ch);
        i++;
        continue;
      }
      while (i < n && /[\d.eE_xXa-fA-F]/.test(sql[i]!)) {
        if ((sql[i] === 'e' || sql[i] === 'E') && (sql[i + 1] === '-' || sql[i + 1] === '+')) i++;
        i++;
      }
      emit('?');
    } else if (isIdentChar(ch)) {
      const start = i;
      while (i < n && isIdentChar(sql[i])) i++;
      emit(sql.slice(start, i));
    } else {
      emit(ch);
      i++;
    }
  }
  return collapseLists(out.join('').trim());
}

/** `IN (?, ?, ?)` would make one entry per list length; fold the list as PostgreSQL 18 does. */
function collapseLists(text: string): string {
  return text.replace(/\b(in)\s*\(\s*\?(?:\s*,\s*\?)+\s*\)/gi, '$1 (?, ...)');
}
