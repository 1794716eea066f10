import { describe, expect, it } from 'vitest';
import {
  buildTagsV1,
  buildTagsV2,
  decodeTagUntilStable,
  keywordIntrinsicValues,
  parseTagName,
  parseTagScope,
  tempoValueType,
} from '../../src/compat/tempo-tags.js';

const INTRINSICS = ['duration', 'kind', 'name', 'status', 'statusMessage', 'traceDuration', 'rootName', 'rootServiceName'];

describe('decodeTagUntilStable', () => {
  it('undoes Grafana\'s double encodeURIComponent', () => {
    const tag = 'span."http route"/x';
    const twice = encodeURIComponent(encodeURIComponent(tag));
    expect(decodeTagUntilStable(twice)).toBe(tag);
    expect(decodeTagUntilStable(encodeURIComponent(tag))).toBe(tag);
    expect(decodeTagUntilStable('resource.service.name')).toBe('resource.service.name');
  });
  it('keeps a stray percent sign', () => {
    expect(decodeTagUntilStable('span.100%')).toBe('span.100%');
  });
});

describe('parseTagName', () => {
  it('reads scoped, unscoped, quoted and intrinsic names', () => {
    expect(parseTagName('resource.service.name', INTRINSICS)).toEqual({ kind: 'attribute', scope: 'resource', key: 'service.name' });
    expect(parseTagName('span.http.method', INTRINSICS)).toEqual({ kind: 'attribute', scope: 'span', key: 'http.method' });
    expect(parseTagName('.http.method', INTRINSICS)).toEqual({ kind: 'attribute', scope: 'any', key: 'http.method' });
    expect(parseTagName('span."a b"', INTRINSICS)).toEqual({ kind: 'attribute', scope: 'span', key: 'a b' });
    expect(parseTagName('status', INTRINSICS)).toEqual({ kind: 'intrinsic', name: 'status' });
    expect(parseTagName('span:status', INTRINSICS)).toEqual({ kind: 'intrinsic', name: 'status' });
    expect(parseTagName('trace:rootService', INTRINSICS)).toEqual({ kind: 'intrinsic', name: 'rootServiceName' });
  });
  it('rejects unscoped bare names, as Tempo does', () => {
    expect(parseTagName('http.method', INTRINSICS)).toBeNull();
    expect(parseTagName('', INTRINSICS)).toBeNull();
    expect(parseTagName('span.', INTRINSICS)).toBeNull();
  });
});

describe('tag answers', () => {
  const keys = [
    { key: 'service.name', scope: 'resource' as const },
    { key: 'http.method', scope: 'span' as const },
    { key: 'app.product', scope: 'span' as const },
    { key: 'http.method', scope: 'span' as const },
  ];
  it('v2 lists scopes; intrinsic only for all or intrinsic', () => {
    expect(buildTagsV2(keys, INTRINSICS, 'all', 100)).toEqual({
      scopes: [
        { name: 'resource', tags: ['service.name'] },
        { name: 'span', tags: ['app.product', 'http.method'] },
        { name: 'intrinsic', tags: INTRINSICS },
      ],
    });
    expect(buildTagsV2(keys, INTRINSICS, 'span', 1)).toEqual({ scopes: [{ name: 'span', tags: ['app.product'] }] });
    expect(buildTagsV2(keys, INTRINSICS, 'intrinsic', 100).scopes.map((s) => s.name)).toEqual(['intrinsic']);
  });
  it('v1 is one flat sorted list', () => {
    expect(buildTagsV1(keys, 'all')).toEqual({ tagNames: ['app.product', 'http.method', 'service.name'] });
  });
  it('knows the keyword intrinsics and value types', () => {
    expect(keywordIntrinsicValues('status')).toEqual([
      { type: 'keyword', value: 'unset' },
      { type: 'keyword', value: 'ok' },
      { type: 'keyword', value: 'error' },
    ]);
    expect(keywordIntrinsicValues('kind')?.map((v) => v.value)).toContain('server');
    expect(keywordIntrinsicValues('name')).toBeNull();
    expect([tempoValueType('int'), tempoValueType('double'), tempoValueType('bool'), tempoValueType('string')]).toEqual(['int', 'float', 'bool', 'string']);
    expect(parseTagScope(undefined)).toBe('all');
    expect(parseTagScope('bogus')).toBeNull();
  });
});
