import { describe, expect, it } from 'vitest';
import { toImportResult } from './convertImport';

describe('toImportResult', () => {
  it('reads the answer, with the rejection message when there is one', () => {
    expect(toImportResult({ format: 'otlp-json', traces: ['ab'], spans: 3, rejected: 0 })).toEqual({ traces: ['ab'], spans: 3, rejected: 0, message: '' });
    expect(toImportResult({ traces: [], spans: 1, rejected: 2, message: 'bad ids' })).toEqual({ traces: [], spans: 1, rejected: 2, message: 'bad ids' });
  });

  it('names the field that is wrong', () => {
    expect(() => toImportResult([])).toThrow('import answer should be an object');
    expect(() => toImportResult({ traces: [1], spans: 1, rejected: 0 })).toThrow('import answer.traces should be an array of strings');
    expect(() => toImportResult({ traces: [], spans: '1', rejected: 0 })).toThrow('import answer.spans should be an integer');
  });
});
