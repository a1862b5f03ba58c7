import { createHash } from 'node:crypto';

export interface NormalizedQuery {
  /**
   * The statement as written with every constant replaced by ?, comments
   * dropped and whitespace folded. Statements of one group may differ in
   * case and spacing; the group shows the first one seen, as
   * pg_stat_statements does.
   */
  text: string;
  /** What groups statements: keywords and unquoted names case-folded, canonical spacing, constants and constant lists folded. */
  key: string;
  /** A short stable id of the key. */
  hash: string;
  /**
   * The id the pg_stat_statements cross-check pairs rows by: the key with
   * parameters ($1) and constants alike, since the server prints a constant
   * as $n.
   */
  matchHash: string;
}

const cache = new Map<string, NormalizedQuery>();
const CACHE_LIMIT = 5_000;

/**
 * Groups statements the way pg_stat_statements does: `where id = 1` and
 * `WHERE id=-2` are one entry; ORDER BY / GROUP BY positions stay; IN lists
 * and ARRAY[...] of constants fold to one entry whatever their length (as
 * PostgreSQL 18 does), a one-element IN list to `= ?`. Parameter placeholders
 * ($1) stay; their values are never part of the text. Cached, since
 * workloads repeat a handful of statements millions of times.
 */
export function normalizeQuery(sql: string): NormalizedQuery {
  const cached = cache.get(sql);
  if (cached) return cached;
  const tokens = foldLists(markOrdinals(foldUnaryMinus(lex(sql))));
  while (tokens.at(-1)?.raw === ';') tokens.pop();
  const keyTokens = rewriteInLists(tokens.map((token) => keyOf(token)));
  const key = keyTokens.join(' ');
  const matchKey = rewriteInLists(tokens.map((token) => keyOf(token, true))).join(' ');
  const normalized = { text: render(tokens), key, hash: digest(key), matchHash: digest(matchKey) };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(sql, normalized);
  return normalized;
}

function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

type TokenKind = 'word' | 'ident' | 'number' | 'string' | 'param' | 'ordinal' | 'list' | 'op' | 'punct';

interface Token {
  kind: TokenKind;
  raw: string;
  /** Whitespace or a comment stood before it. */
  space: boolean;
  /** number: no fraction or exponent. */
  integer?: boolean;
  /** list: every element was a parameter. */
  params?: boolean;
}

const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';
/** An operator may end in + or - only if it has one of these (PostgreSQL's lexer rule). */
const OPERATOR_SPECIAL = '~!@#%^&|`?';
const isIdentStart = (ch: string | undefined) => ch !== undefined && /[A-Za-z_\u0080-\uffff]/.test(ch);
const isIdentChar = (ch: string | undefined) => ch !== undefined && /[\w$\u0080-\uffff]/.test(ch);
const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);
/** ASCII only, as PostgreSQL folds unquoted names. */
const fold = (word: string) => word.replace(/[A-Z]/g, (ch) => ch.toLowerCase());

/** pg_stat_statements prints a folded list as `$1 /*, ... *\/`. */
const SQUASHED_MARKER = /^\s*,\s*\.\.\.\s*$/;

function lex(sql: string): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let space = false;
  let i = 0;
  const push = (kind: TokenKind, raw: string, extra: Partial<Token> = {}) => {
    tokens.push({ kind, raw, space, ...extra });
    space = false;
  };
  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (isSpace(ch)) {
      space = true;
      i++;
    } else if (ch === '-' && next === '-') {
      while (i < n && sql[i] !== '\n') i++;
      space = true;
    } else if (ch === '/' && next === '*') {
      const start = i;
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
      space = true;
      if (SQUASHED_MARKER.test(sql.slice(start + 2, i - 2))) {
        push('punct', ',');
        push('string', '');
      }
    } else if (stringStart(sql, i) !== undefined) {
      i = readString(sql, i);
      push('string', '');
    } else if (ch === '"' || ((ch === 'U' || ch === 'u') && next === '&' && sql[i + 2] === '"')) {
      const start = i;
      i = ch === '"' ? i + 1 : i + 3;
      i = readQuoted(sql, i, '"', false);
      push('ident', sql.slice(start, i));
    } else if (ch === '$' && isDigit(next)) {
      const start = i++;
      while (i < n && isDigit(sql[i])) i++;
      push('param', sql.slice(start, i));
    } else if (ch === '$' && dollarTag(sql, i)) {
      const tag = dollarTag(sql, i)!;
      const end = sql.indexOf(tag, i + tag.length);
      i = end < 0 ? n : end + tag.length;
      push('string', '');
    } else if (isDigit(ch) || (ch === '.' && isDigit(next))) {
      const { end, integer } = readNumber(sql, i);
      push('number', sql.slice(i, end), { integer });
      i = end;
    } else if (isIdentStart(ch)) {
      const start = i;
      while (i < n && isIdentChar(sql[i])) i++;
      push('word', sql.slice(start, i));
    } else if (OPERATOR_CHARS.includes(ch)) {
      const start = i;
      while (i < n && OPERATOR_CHARS.includes(sql[i]!) && !(sql[i] === '-' && sql[i + 1] === '-') && !(sql[i] === '/' && sql[i + 1] === '*')) i++;
      let op = sql.slice(start, i);
      if (op.length > 1 && ![...op].some((c) => OPERATOR_SPECIAL.includes(c))) {
        while (op.length > 1 && (op.endsWith('+') || op.endsWith('-'))) op = op.slice(0, -1);
      }
      i = start + op.length;
      push('op', op);
    } else if (ch === ':' && next === ':') {
      push('punct', '::');
      i += 2;
    } else {
      push('punct', ch);
      i++;
    }
  }
  return tokens;
}

/** The quoting of a string constant starting at i ('…', E'…', X'…', B'…', N'…', U&'…'), if one does. */
function stringStart(sql: string, i: number): { quoteAt: number; escapes: boolean } | undefined {
  const ch = sql[i];
  if (ch === "'") return { quoteAt: i, escapes: false };
  if (sql[i + 1] === "'" && ch && 'eE'.includes(ch)) return { quoteAt: i + 1, escapes: true };
  if (sql[i + 1] === "'" && ch && 'xXbBnN'.includes(ch)) return { quoteAt: i + 1, escapes: false };
  if ((ch === 'u' || ch === 'U') && sql[i + 1] === '&' && sql[i + 2] === "'") return { quoteAt: i + 2, escapes: false };
  return undefined;
}

/** Reads one string constant, with SQL's continuation ('a' newline 'b' is one constant) and U&'…' UESCAPE '…'. */
function readString(sql: string, i: number): number {
  const { quoteAt, escapes } = stringStart(sql, i)!;
  let end = readQuoted(sql, quoteAt + 1, "'", escapes);
  for (;;) {
    let j = end;
    while (isSpace(sql[j])) j++;
    const gap = sql.slice(end, j);
    if (sql[j] === "'" && gap.includes('\n')) {
      end = readQuoted(sql, j + 1, "'", escapes);
      continue;
    }
    const uescape = /^uescape\s*'/i.exec(sql.slice(j));
    if (uescape && j > end && !isIdentChar(sql[j + 7])) {
      end = readQuoted(sql, j + uescape[0].length, "'", false);
      continue;
    }
    return end;
  }
}

/** From just after an opening quote to just after its closing one; a doubled quote is part of the text. */
function readQuoted(sql: string, i: number, quote: string, backslashEscapes: boolean): number {
  const n = sql.length;
  while (i < n) {
    if (backslashEscapes && sql[i] === '\\') i += 2;
    else if (sql[i] === quote && sql[i + 1] === quote) i += 2;
    else if (sql[i] === quote) return i + 1;
    else i++;
  }
  return n;
}

function dollarTag(sql: string, i: number): string | undefined {
  return /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 200))?.[0];
}

/**
 * PostgreSQL's numeric constants: 0x / 0o / 0b integers, decimals with an
 * optional fraction and exponent, _ between digits. Whatever follows (1FROM)
 * is the next token, not part of the number.
 */
function readNumber(sql: string, i: number): { end: number; integer: boolean } {
  const radix = sql[i] === '0' ? /^0(?:[xX][0-9a-fA-F_]+|[oO][0-7_]+|[bB][01_]+)/.exec(sql.slice(i, i + 200)) : null;
  if (radix) return { end: i + radix[0].length, integer: true };
  let integer = true;
  const digits = () => {
    while (isDigit(sql[i]) || (sql[i] === '_' && isDigit(sql[i + 1]))) i++;
  };
  digits();
  if (sql[i] === '.' && sql[i + 1] !== '.') {
    integer = false;
    i++;
    digits();
  }
  if ((sql[i] === 'e' || sql[i] === 'E') && (isDigit(sql[i + 1]) || ('+-'.includes(sql[i + 1] ?? 'x') && isDigit(sql[i + 2])))) {
    integer = false;
    i += isDigit(sql[i + 1]) ? 1 : 2;
    digits();
  }
  return { end: i, integer };
}

/** Words after which an expression starts, so a minus there is a sign, not a subtraction. */
const EXPRESSION_START = new Set([
  'select', 'where', 'and', 'or', 'not', 'then', 'else', 'when', 'case', 'by', 'limit', 'offset', 'having', 'on',
  'between', 'like', 'ilike', 'similar', 'escape', 'distinct', 'all', 'any', 'some', 'from', 'for', 'to', 'returning',
  'fetch', 'first', 'next', 'return', 'is', 'in', 'values', 'set', 'using', 'with',
]);

/** `-5` is one constant to PostgreSQL (its parser folds the sign in); `a - 5` is a subtraction. */
function foldUnaryMinus(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (token.kind === 'op' && token.raw === '-' && next?.kind === 'number' && isOperandStart(out.at(-1))) {
      out.push({ ...next, raw: `-${next.raw}`, space: token.space });
      i++;
    } else out.push(token);
  }
  return out;
}

function isOperandStart(previous: Token | undefined): boolean {
  if (!previous) return true;
  if (previous.kind === 'op') return true;
  if (previous.kind === 'punct') return ['(', ',', '[', ';'].includes(previous.raw);
  if (previous.kind === 'word') return EXPRESSION_START.has(fold(previous.raw));
  return false;
}

/** Words that end an ORDER BY / GROUP BY list. */
const BY_LIST_END = new Set(['limit', 'offset', 'fetch', 'for', 'having', 'window', 'union', 'intersect', 'except', 'order', 'returning']);
const ORDINAL_END = new Set(['asc', 'desc', 'nulls', 'using', ...BY_LIST_END]);
const QUERY_START = new Set(['select', 'with', 'values', 'table']);

/**
 * `ORDER BY 1` and `GROUP BY 2` name output columns, so pg_stat_statements
 * keeps them. Only in a query's own clauses: in a window or an aggregate
 * (`OVER (ORDER BY 1)`) the number is a constant.
 */
function markOrdinals(tokens: Token[]): Token[] {
  const frames = [{ query: true, byList: false, elementStart: false }];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const frame = frames.at(-1)!;
    const word = token.kind === 'word' ? fold(token.raw) : undefined;
    if (token.raw === '(' && token.kind === 'punct') {
      const next = tokens[i + 1];
      const query = next?.kind === 'word' && QUERY_START.has(fold(next.raw));
      frames.push({ query, byList: false, elementStart: false });
      continue;
    }
    if (token.raw === ')' && token.kind === 'punct') {
      if (frames.length > 1) frames.pop();
      continue;
    }
    if (word === 'by' && frame.query) {
      const previous = tokens[i - 1];
      const clause = previous?.kind === 'word' ? fold(previous.raw) : '';
      if (clause === 'order' || clause === 'group') {
        frame.byList = true;
        frame.elementStart = true;
        continue;
      }
    }
    if (!frame.byList) continue;
    if (token.kind === 'punct' && token.raw === ',') {
      frame.elementStart = true;
      continue;
    }
    if ((word && BY_LIST_END.has(word)) || token.raw === ';') {
      frame.byList = false;
      continue;
    }
    if (frame.elementStart && token.kind === 'number' && token.integer) {
      const next = tokens[i + 1];
      const ends =
        !next ||
        (next.kind === 'punct' && [',', ')', ';'].includes(next.raw)) ||
        (next.kind === 'word' && ORDINAL_END.has(fold(next.raw)));
      if (ends) token.kind = 'ordinal';
    }
    frame.elementStart = false;
  }
  return tokens;
}

const isConstant = (token: Token | undefined) => token?.kind === 'number' || token?.kind === 'string' || token?.kind === 'param';

/**
 * `IN (1, 2, 3)` and `ARRAY[1, 2]` of constants or parameters (with casts)
 * become one list token: PostgreSQL 18 counts every length as one statement.
 * A list with anything else in it (a column, an expression) stays.
 */
function foldLists(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    out.push(token);
    const previous = tokens[i - 1];
    const opens =
      token.kind === 'punct' &&
      previous?.kind === 'word' &&
      ((token.raw === '(' && fold(previous.raw) === 'in') || (token.raw === '[' && fold(previous.raw) === 'array'));
    if (!opens) continue;
    const close = token.raw === '(' ? ')' : ']';
    const elements = listElements(tokens, i + 1, close);
    if (!elements || elements.items.length < 2 || !elements.items.every(isSquashable)) continue;
    const first = tokens[i + 1]!;
    const params = elements.items.every((item) => item.some((t) => t.kind === 'param'));
    out.push({ kind: 'list', raw: '', space: first.space, params });
    i = elements.end - 1;
  }
  return out;
}

/** The comma-separated elements from `from` up to the bracket that closes the list, and that bracket's index. */
function listElements(tokens: Token[], from: number, close: string): { items: Token[][]; end: number } | undefined {
  const items: Token[][] = [[]];
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'punct') {
      if (depth === 0 && token.raw === close) return { items, end: i };
      if (token.raw === '(' || token.raw === '[') depth++;
      else if (token.raw === ')' || token.raw === ']') depth--;
      else if (depth === 0 && token.raw === ',') {
        items.push([]);
        continue;
      }
      if (depth < 0) return undefined;
    }
    items.at(-1)!.push(token);
  }
  return undefined;
}

/** A constant or parameter, maybe in parentheses, maybe with casts (`1::bigint`, `'a'::varchar(10)[]`). */
function isSquashable(item: Token[]): boolean {
  let start = 0;
  let end = item.length;
  while (item[start]?.raw === '(' && item[end - 1]?.raw === ')' && end - start > 2) {
    start++;
    end--;
  }
  if (!isConstant(item[start])) return false;
  let i = start + 1;
  while (i < end) {
    if (item[i]!.raw !== '::' || item[i + 1]?.kind !== 'word') return false;
    i += 2;
    while (i < end && item[i]!.raw !== '::') {
      const t = item[i]!;
      const typePart = t.kind === 'word' || (t.kind === 'number' && t.integer) || (t.kind === 'punct' && '()[],'.includes(t.raw));
      if (!typePart) return false;
      i++;
    }
  }
  return true;
}

const CONSTANT_KEY = '$?';
const LIST_KEY = '$?, ...';
const PARAM_LIST_KEY = '$n, ...';

function keyOf(token: Token, matching = false): string {
  switch (token.kind) {
    case 'word':
      return fold(token.raw);
    case 'number':
    case 'string':
      return CONSTANT_KEY;
    case 'param':
      return matching ? CONSTANT_KEY : token.raw;
    case 'list':
      return token.params && !matching ? PARAM_LIST_KEY : LIST_KEY;
    case 'op':
      return token.raw === '!=' ? '<>' : token.raw;
    default:
      return token.raw;
  }
}

const isSingleValue = (key: string | undefined) => key === CONSTANT_KEY || (key !== undefined && /^\$\d+$/.test(key));

/**
 * `x IN (list)` is `x = ANY (ARRAY[list])` to PostgreSQL, and `x IN (1)` is
 * `x = 1`; NOT IN likewise with `<> ALL` and `<>`.
 */
function rewriteInLists(keys: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === 'in' && keys[i + 1] === '(' && keys[i + 3] === ')') {
      const inner = keys[i + 2]!;
      const negated = out.at(-1) === 'not';
      if (inner === LIST_KEY || inner === PARAM_LIST_KEY || isSingleValue(inner)) {
        if (negated) out.pop();
        if (isSingleValue(inner)) out.push(negated ? '<>' : '=', inner);
        else out.push(negated ? '<>' : '=', negated ? 'all' : 'any', '(', 'array', '[', inner, ']', ')');
        i += 3;
        continue;
      }
    }
    out.push(key);
  }
  return out;
}

const isWordLike = (token: Token | undefined) => token !== undefined && token.kind !== 'op' && token.kind !== 'punct';

/** The statement as written, constants as ?, folded lists as `?, ...`, one space where the source had any. */
function render(tokens: Token[]): string {
  let text = '';
  let previous: Token | undefined;
  for (const token of tokens) {
    // Two words written together (1FROM) still need a space once the number is a ?.
    if (previous && (token.space || (isWordLike(previous) && isWordLike(token)))) text += ' ';
    switch (token.kind) {
      case 'number':
      case 'string':
        text += '?';
        break;
      case 'list':
        text += '?, ...';
        break;
      default:
        text += token.raw;
    }
    previous = token;
  }
  return text;
}
