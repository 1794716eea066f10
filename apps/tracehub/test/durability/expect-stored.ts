/**
 * The assertions every durability test makes after reading everything back:
 * the senders saw only expected answers, and each acknowledged span is stored
 * exactly once, whole, with nothing rejected or foreign among the stored.
 */
import { expect } from 'vitest';
import type { CheckReport, Ledger } from '../../src/testing-ledger.js';

export function expectAcknowledgedStoredOnce(ledger: Ledger, report: CheckReport, context: string): void {
  expect(ledger.unexpected, context).toEqual([]);
  expect(ledger.errors, context).toEqual([]);
  expect(ledger.wrongRejected, context).toEqual([]);
  expect(report.missingAcked, context).toBe(0);
  expect(report.duplicates, context).toBe(0);
  expect(report.storedRejected, context).toBe(0);
  expect(report.foreign, context).toBe(0);
  expect(report.countMismatches, context).toBe(0);
  expect(report.mismatches, context).toEqual([]);
}
