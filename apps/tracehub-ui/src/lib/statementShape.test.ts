import { describe, expect, it } from 'vitest';
import { spanStatement, statementShape } from './statementShape';
import { span } from './testSpans';

const str = (value: string) => ({ type: 'string' as const, value });

describe('statementShape', () => {
  it('replaces numbers, strings and placeholders with ?', () => {
    expect(statementShape('SELECT * FROM stock WHERE id = 7')).toBe('SELECT * FROM stock WHERE id = ?');
    expect(statementShape("SELECT * FROM users WHERE name = 'O''Brien' AND age > 3.5")).toBe('SELECT * FROM users WHERE name = ? AND age > ?');
    expect(statementShape('UPDATE t SET a = $1 WHERE b = :id OR c = @c')).toBe('UPDATE t SET a = ? WHERE b = ? OR c = ?');
  });

  it('turns an IN list of any length into one ?, and collapses whitespace', () => {
    expect(statementShape('SELECT id FROM stock\n  WHERE id IN (1, 2,3 ,  44)')).toBe('SELECT id FROM stock WHERE id IN (?)');
    expect(statementShape("select 1 from t where k in ('a','b')")).toBe('select ? from t where k IN (?)');
  });

  it('keeps identifiers with digits', () => {
    expect(statementShape('SELECT col1 FROM table2 WHERE x = 10')).toBe('SELECT col1 FROM table2 WHERE x = ?');
  });
});

describe('spanStatement', () => {
  it('is the shape of db.query.text or db.statement, else db.query.summary, else null', () => {
    expect(spanStatement(span('a', null, 0, 1, { attributes: [{ key: 'db.query.text', value: str('SELECT * FROM stock WHERE id = 7') }] }))).toBe(
      'SELECT * FROM stock WHERE id = ?',
    );
    expect(spanStatement(span('b', null, 0, 1, { attributes: [{ key: 'db.statement', value: str("DELETE FROM cart WHERE id = 'x'") }] }))).toBe(
      'DELETE FROM cart WHERE id = ?',
    );
    expect(spanStatement(span('c', null, 0, 1, { attributes: [{ key: 'db.query.summary', value: str('SELECT stock') }] }))).toBe('SELECT stock');
    expect(spanStatement(span('d', null, 0, 1, { attributes: [{ key: 'http.route', value: str('/x/1') }] }))).toBeNull();
    expect(spanStatement(span('e', null, 0, 1, { attributes: [{ key: 'db.statement', value: str('') }] }))).toBeNull();
  });
});
