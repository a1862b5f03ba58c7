import { describe, expect, it } from 'vitest';
import { normalizeQuery } from '../src/main/engine/kinds/db/normalize.js';

describe('normalizeQuery', () => {
  it('replaces literals, folds whitespace and drops comments', () => {
    expect(normalizeQuery("select  *\nfrom t1 where id = 42 and name = 'o''brien' /* c */ -- tail").text).toBe(
      'select * from t1 where id = ? and name = ?',
    );
  });

  it('gives equal hashes to statements differing only in literals', () => {
    const a = normalizeQuery('SELECT * FROM "Items" WHERE id = 1');
    const b = normalizeQuery('SELECT * FROM "Items" WHERE id = 2');
    expect(a.hash).toBe(b.hash);
    expect(a.text).toBe('SELECT * FROM "Items" WHERE id = ?');
  });

  it('keeps parameters, quoted identifiers with digits, and folds IN lists', () => {
    expect(normalizeQuery('SELECT "col1" FROM x2 WHERE a = $1 AND b IN (1, 2, 3)').text).toBe(
      'SELECT "col1" FROM x2 WHERE a = $1 AND b IN (?, ...)',
    );
    expect(normalizeQuery("SELECT $tag$it's$tag$, E'a\\'b', 1.5e-3").text).toBe('SELECT ?, ?, ?');
  });

  // What PostgreSQL 18's pg_stat_statements prints for the same input is in the comment where it differs only by $n for ?.
  it.each([
    ['SELECT 1FROM t', 'SELECT ? FROM t'], // hex digits only after 0x: F is the start of FROM
    ['select * from t where id = -5', 'select * from t where id = ?'], // $1: the sign is part of the constant
    ['select * from t where id=-5', 'select * from t where id=?'],
    ['select x - 5 from t', 'select x - ? from t'], // a subtraction keeps its minus
    ['select - 5', 'select ?'],
    ['select +5', 'select +?'], // unary plus is an operator to PostgreSQL
    ['SELECT id FROM t ORDER BY 1', 'SELECT id FROM t ORDER BY 1'],
    ['select id, count(*) from t group by 1 order by 2 desc', 'select id, count(*) from t group by 1 order by 2 desc'],
    ['select id from t order by id + 1', 'select id from t order by id + ?'],
    ['select (select id from t order by 1 limit 1)', 'select (select id from t order by 1 limit ?)'],
    ['select count(*) over (order by 1) from t', 'select count(*) over (order by ?) from t'], // a window's ORDER BY has no positions
    ["select string_agg(name, ',' order by 1) from t", 'select string_agg(name, ? order by ?) from t'],
    ['select * from t where id IN (1,2,3)', 'select * from t where id IN (?, ...)'], // in ($1 /*, ... */)
    ['select * from t where id in (4)', 'select * from t where id in (?)'],
    ['select * from t where id in (1::bigint, ((2)), -3)', 'select * from t where id in (?, ...)'],
    ['select * from t where id in (1 + 1, 2)', 'select * from t where id in (? + ?, ?)'], // not only constants: not folded
    ['select ARRAY[1,2]', 'select ARRAY[?, ...]'], // ARRAY[$1 /*, ... */]
    ['select array[1]', 'select array[?]'],
    ['select 0xFF, 0o17, 0b101, 1_000, .5, 1.5e-3', 'select ?, ?, ?, ?, ?, ?'],
    ["select x'1F', B'101', N'n'", 'select ?, ?, ?'],
    ["select E'it\\'s', 'it''s'", 'select ?, ?'],
    ["select U&'d\\0061t' UESCAPE '!'", 'select ?'],
    ["select 'con'\n  'tinued'", 'select ?'], // one constant to PostgreSQL
    ['select $$dollar$$, $tag$with $$ inside$tag$', 'select ?, ?'],
    ['select 1 /* a /* nested */ comment */ + 2 -- tail', 'select ? + ?'],
    ['SELECT 1;', 'SELECT ?'],
    ["select date '2020-01-01', interval '1 day'", 'select date ?, interval ?'],
    ['select $1::int, "Col1" from "T"', 'select $1::int, "Col1" from "T"'],
    ["select data ? 'key' from t", 'select data ? ? from t'], // the jsonb ? operator stays an operator
  ])('%j → %j', (input, text) => {
    expect(normalizeQuery(input).text).toBe(text);
  });

  // Statements pg_stat_statements counts as one entry (same queryid) share a hash.
  it.each([
    ['case and spacing', ['SELECT * FROM t WHERE id = 1', 'select *\n  from T where ID=2', 'Select * From t Where id = -3;']],
    ['IN lists of any length', ['select * from t where id in (1, 2, 3)', 'select * from t where id IN (4,5)', 'select * from t where id = any(array[6, 7])']],
    ['one-element IN list', ['select * from t where id in (4)', 'select * from t where id = 5']],
    ['NOT IN', ['select * from t where id not in (1, 2)', 'select * from t where id <> all (array[3,4,5])']],
    ['!= is <>', ['select * from t where id != 1', 'select * from t where id <> 2', 'select * from t where id not in (3)']],
    ['ARRAY lists', ['select ARRAY[1, 2]', 'select array[3,4,5]']],
  ])('one entry: %s', (_, statements) => {
    const hashes = new Set(statements.map((sql) => normalizeQuery(sql).hash));
    expect(hashes.size).toBe(1);
  });

  it.each([
    ['ORDER BY positions', 'select id, name from t order by 1', 'select id, name from t order by 2'],
    ['GROUP BY positions', 'select id, name from t group by 1', 'select id, name from t group by 2'],
    ['quoted names keep their case', 'select "Id" from t', 'select "id" from t'],
    ['a parameter is not a constant', 'select * from t where id = $1', 'select * from t where id = 1'],
    ['a list with a column', 'select * from t where id in (1, 2)', 'select * from t where id in (1, id)'],
    ['ARRAY[1] is not folded', 'select array[1]', 'select array[1, 2]'],
  ])('separate entries: %s', (_, a, b) => {
    expect(normalizeQuery(a).hash).not.toBe(normalizeQuery(b).hash);
  });

  it("pairs a constant with the server's $n for the cross-check, and a folded list with the server's /*, ... */", () => {
    expect(normalizeQuery('select * from t where id = 7').matchHash).toBe(normalizeQuery('select * from t where id = $1').matchHash);
    expect(normalizeQuery('select * from t where id in (1, 2, 3)').matchHash).toBe(
      normalizeQuery('select * from t where id in ($1 /*, ... */)').matchHash,
    );
    expect(normalizeQuery('SELECT 1 FROM t ORDER BY 1').matchHash).toBe(normalizeQuery('select $1 from t order by 1').matchHash);
  });
});
