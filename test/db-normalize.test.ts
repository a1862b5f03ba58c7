import { describe, expect, it } from 'vitest';
import { normalizeQuery } from '../src/main/engine/db/normalize.js';

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
});
