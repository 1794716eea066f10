/** SQL turning the stored status and kind codes into their TraceQL names (from intrinsics.ts's code tables). */
import { KIND_CODES, STATUS_CODES } from '../traceql/intrinsics.js';

function caseOf(col: string, codes: Record<string, number>): string {
  return `CASE ${col} ${Object.entries(codes)
    .map(([name, code]) => `WHEN ${code} THEN '${name}'`)
    .join(' ')} END`;
}

export const statusNameSql = (col: string) => caseOf(col, STATUS_CODES);
export const kindNameSql = (col: string) => caseOf(col, KIND_CODES);
