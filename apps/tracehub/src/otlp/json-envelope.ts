/**
 * The OTLP/JSON envelope every signal shares: resource* → scope* → records
 * (resourceSpans → scopeSpans → spans; resourceLogs → scopeLogs → logRecords).
 * One walker for traces and logs; each signal supplies its record converter.
 */
import type { Resource, Scope } from '../model.js';
import { Rejections, withPath } from './errors.js';
import { type JsonObject, asArray, asObject, asString, field, readResource, readScope } from './json-values.js';

/** [lowerCamelCase, snake_case] spellings of a field, both accepted. */
type Names = readonly [string, string];

export interface JsonSignal<T> {
  resourceField: Names;
  scopeField: Names;
  recordField: Names;
  convertRecord(v: unknown, resource: Resource, scope: Scope): T;
  /** Why a converted record is invalid on its own (then it is dropped and counted), or null. */
  problem(record: T): string | null;
}

export function convertEnvelope<T>(root: JsonObject, signal: JsonSignal<T>): { records: T[]; rejected: number; rejectReasons: string[] } {
  const records: T[] = [];
  const rej = new Rejections();
  const [rName, rSnake] = signal.resourceField;
  const [sName, sSnake] = signal.scopeField;
  const [name, snake] = signal.recordField;
  const groups = asArray(field(root, rName, rSnake), rName);
  for (let ri = 0; ri < groups.length; ri++) {
    try {
      const o = asObject(groups[ri], '');
      if (o === null) continue;
      const resource = readResource(o.resource, asString(field(o, 'schemaUrl', 'schema_url'), 'schemaUrl'));
      const scopes = asArray(field(o, sName, sSnake), sName);
      for (let si = 0; si < scopes.length; si++) {
        try {
          const so = asObject(scopes[si], '');
          if (so === null) continue;
          const scope = readScope(so.scope, asString(field(so, 'schemaUrl', 'schema_url'), 'schemaUrl'));
          const list = asArray(field(so, name, snake), name);
          for (let i = 0; i < list.length; i++) {
            let record: T;
            try {
              record = signal.convertRecord(list[i], resource, scope);
            } catch (err) {
              throw withPath(err, `${name}[${i}]`);
            }
            const problem = signal.problem(record);
            if (problem === null) records.push(record);
            else rej.add(`${rName}[${ri}].${sName}[${si}].${name}[${i}]: ${problem}`);
          }
        } catch (err) {
          throw withPath(err, `${sName}[${si}]`);
        }
      }
    } catch (err) {
      throw withPath(err, `${rName}[${ri}]`);
    }
  }
  return { records, rejected: rej.count, rejectReasons: rej.reasons };
}
