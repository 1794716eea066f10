/**
 * The pure transforms between records and the store's attribute rows: the
 * key dictionary, the text form and its inverse, and regrouping the flat rows
 * a trace read returns.
 */
import { describe, expect, it } from 'vitest';
import type { AnyValue } from '../../src/model.js';
import { KeyDictionary, ScopeDictionary, attrText, attributesBySpan, valueOfAttrText } from '../../src/store/rows.js';

describe('valueOfAttrText', () => {
  const values: AnyValue[] = [
    { type: 'string', value: 'a "b" \\ c' },
    { type: 'int', value: '-9223372036854775808' },
    { type: 'double', value: 0.1 },
    { type: 'double', value: -0 },
    { type: 'double', value: 'NaN' },
    { type: 'double', value: '-Infinity' },
    { type: 'bool', value: true },
    { type: 'bool', value: false },
    { type: 'bytes', value: 'AP8=' },
    { type: 'array', value: [{ type: 'kvlist', value: [{ key: 'k', value: { type: 'empty' } }] }] },
    { type: 'kvlist', value: [] },
    { type: 'empty' },
  ];
  it.each(values.map((v) => [JSON.stringify(v), v] as const))('rebuilds %s from its text form', (_, v) => {
    const t = attrText(v);
    // The reads pass NULL for a non-finite number (JSON has none).
    const num = t.num !== null && Number.isFinite(t.num) ? t.num : null;
    const back = valueOfAttrText(t.vtype, t.str, num);
    expect(back).toEqual(v);
    if (v.type === 'double' && Object.is(v.value, -0)) expect(Object.is(back.value, -0)).toBe(true);
  });
});

describe('attributesBySpan', () => {
  it('groups the flat rows by span and restores each span’s order', () => {
    const keys = ['http.route', 'n', 'ok'];
    const json = JSON.stringify([
      [7, 1, 1, 'int', '5', 5],
      [9, 0, 2, 'bool', 'true', null],
      [7, 0, 0, 'string', '/a', null],
      [7, 2, 0, 'string', '/again', null],
    ]);
    const got = attributesBySpan(json, (id) => keys[id]!);
    expect([...got.keys()].sort()).toEqual([7, 9]);
    expect(got.get(7)).toEqual([
      { key: 'http.route', value: { type: 'string', value: '/a' } },
      { key: 'n', value: { type: 'int', value: '5' } },
      { key: 'http.route', value: { type: 'string', value: '/again' } },
    ]);
    expect(got.get(9)).toEqual([{ key: 'ok', value: { type: 'bool', value: true } }]);
    expect(attributesBySpan(null, () => 'x').size).toBe(0);
  });

  it('fails loudly on a key id the dictionary does not hold', () => {
    const dict = new KeyDictionary();
    expect(() => attributesBySpan('[[1,0,3,"string","x",null]]', dict.keyOf)).toThrow(/attribute key 3/);
  });
});

describe('KeyDictionary', () => {
  it('numbers new keys, forgets them on rollback and keeps them on commit', () => {
    const d = new KeyDictionary();
    d.load([
      [0, 'a', 'a'],
      [1, 'b', 'b'],
    ]);
    expect(d.keyOf(1)).toBe('b');
    expect(d.idOf('b')).toBe(1);
    expect(d.idOf('c')).toBe(2);
    expect(d.pendingColumns()).toEqual([[2], ['c']]);
    d.rollback();
    expect(d.size).toBe(2);
    expect(() => d.keyOf(2)).toThrow();
    expect(d.idOf('d')).toBe(2);
    d.commit();
    expect(d.pendingColumns()).toEqual([[], []]);
    expect(d.keyOf(2)).toBe('d');
    expect(d.idOf('d')).toBe(2);
  });
});

describe('ScopeDictionary', () => {
  const scope = (name: string) => ({ name, version: '1', attributes: [{ key: 'k', value: { type: 'int' as const, value: '1' } }], droppedAttributesCount: 0, schemaUrl: '' });
  it('numbers scopes by content, not by object, and forgets a failed batch’s', () => {
    const d = new ScopeDictionary();
    const a = scope('http');
    expect(d.idOf(a)).toBe(0);
    expect(d.idOf(scope('http'))).toBe(0);
    expect(d.idOf(scope('pg'))).toBe(1);
    expect(d.pendingColumns()).toEqual([[0, 1], ['http', 'pg'], ['1', '1'], ['[{"key":"k","value":{"type":"int","value":"1"}}]', '[{"key":"k","value":{"type":"int","value":"1"}}]'], [0, 0], ['', '']]);
    d.rollback();
    expect(() => d.scopeOf(0)).toThrow(/scope 0/);
    const b = scope('grpc');
    expect(d.idOf(b)).toBe(0);
    // The object numbered before the rollback is numbered again, not taken for 'grpc'.
    expect(d.idOf(a)).toBe(1);
    d.commit();
    expect(d.scopeOf(0)).toBe(b);
    expect(d.scopeOf(1)).toBe(a);
  });
});
