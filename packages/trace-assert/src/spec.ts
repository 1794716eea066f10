// YAML text → validated specs. Pure: every mistake is reported with the file
// and the path of the offending key, and unknown keys are errors (a typo must
// not silently turn an assertion off).
import { parseAllDocuments } from 'yaml';
import { maybeRegex, namePattern, parseDuration, textPattern } from './pattern.js';
import type { RequestSpec, ResponseSpec, Spec, SpanRule, TraceRules, ValueMatcher } from './types.js';

export class SpecError extends Error {}

type Obj = Record<string, unknown>;

const SPEC_KEYS = ['name', 'description', 'request', 'response', 'trace', 'assertions'];
const REQUEST_KEYS = ['method', 'path', 'query', 'headers', 'body'];
const RESPONSE_KEYS = ['status', 'body'];
const TRACE_KEYS = ['services', 'minSpans', 'maxSpans', 'maxDuration'];
const RULE_KEYS = ['span', 'service', 'under', 'count', 'min', 'max', 'parent', 'root', 'kind', 'status', 'message', 'exception', 'attributes', 'minDuration', 'maxDuration'];
const KINDS = ['internal', 'server', 'client', 'producer', 'consumer', 'unspecified'];
const STATUSES = ['ok', 'error', 'unset'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

/** Parses a YAML file holding one spec, or several separated by `---`. */
export function parseSpecs(text: string, file: string): Spec[] {
  const docs = parseAllDocuments(text);
  const specs: Spec[] = [];
  docs.forEach((doc, i) => {
    const at = docs.length > 1 ? `${file} (document ${i + 1})` : file;
    if (doc.errors.length > 0) throw new SpecError(`${at}: not valid YAML: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return; // an empty document, e.g. a trailing ---
    try {
      specs.push(toSpec(value, file));
    } catch (err) {
      throw new SpecError(`${at}: ${(err as Error).message}`);
    }
  });
  if (specs.length === 0) throw new SpecError(`${file}: no spec in this file`);
  return specs;
}

function toSpec(value: unknown, file: string): Spec {
  const o = object(value, 'the spec', SPEC_KEYS);
  const name = string(o.name, 'name');
  if (!Array.isArray(o.assertions)) throw new Error('assertions: must be a list of span rules');
  return {
    name,
    description: o.description === undefined ? undefined : string(o.description, 'description'),
    file,
    request: toRequest(o.request),
    response: toResponse(o.response),
    trace: toTraceRules(o.trace),
    assertions: o.assertions.map((r, i) => toRule(r, `assertions[${i}]`)),
  };
}

function toRequest(value: unknown): RequestSpec {
  const o = object(value, 'request', REQUEST_KEYS);
  const method = (o.method === undefined ? 'GET' : string(o.method, 'request.method')).toUpperCase();
  if (!METHODS.includes(method)) throw new Error(`request.method: ${method} is not one of ${METHODS.join(', ')}`);
  const path = string(o.path, 'request.path');
  if (!path.startsWith('/')) throw new Error(`request.path: ${JSON.stringify(path)} must start with / (the base URL comes from --url / ORDER_URL)`);
  if (o.body !== undefined && (method === 'GET' || method === 'HEAD')) throw new Error(`request.body: a ${method} request has no body`);
  return { method, path, query: stringMap(o.query, 'request.query'), headers: stringMap(o.headers, 'request.headers'), body: o.body };
}

function toResponse(value: unknown): ResponseSpec {
  const o = object(value, 'response', RESPONSE_KEYS);
  const status = o.status;
  if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599) throw new Error('response.status: must be an HTTP status code (100..599)');
  if (o.body !== undefined && (typeof o.body !== 'object' || o.body === null || Array.isArray(o.body))) throw new Error('response.body: must be a map of the fields the JSON answer must have');
  return { status: status as number, body: o.body as Record<string, unknown> | undefined };
}

function toTraceRules(value: unknown): TraceRules {
  if (value === undefined) return {};
  const o = object(value, 'trace', TRACE_KEYS);
  const rules: TraceRules = {};
  if (o.services !== undefined) {
    if (!Array.isArray(o.services) || o.services.some((s) => typeof s !== 'string')) throw new Error('trace.services: must be a list of service names');
    rules.services = o.services as string[];
  }
  if (o.minSpans !== undefined) rules.minSpans = count(o.minSpans, 'trace.minSpans');
  if (o.maxSpans !== undefined) rules.maxSpans = count(o.maxSpans, 'trace.maxSpans');
  if (o.maxDuration !== undefined) rules.maxDuration = duration(o.maxDuration, 'trace.maxDuration');
  return rules;
}

function toRule(value: unknown, where: string): SpanRule {
  const o = object(value, where, RULE_KEYS);
  const rule: SpanRule = { where, name: pattern(o.span, `${where}.span`, namePattern), min: 1, attributes: [] };
  if (o.service !== undefined) rule.service = string(o.service, `${where}.service`);
  if (o.under !== undefined) rule.under = pattern(o.under, `${where}.under`, namePattern);
  if (o.count !== undefined) {
    if (o.min !== undefined || o.max !== undefined) throw new Error(`${where}: use either count or min/max, not both`);
    rule.min = rule.max = count(o.count, `${where}.count`);
  }
  if (o.min !== undefined) rule.min = count(o.min, `${where}.min`);
  if (o.max !== undefined) {
    rule.max = count(o.max, `${where}.max`);
    if (o.min === undefined) rule.min = 0; // "at most 3" alone allows none
  }
  if (rule.max !== undefined && rule.min > rule.max) throw new Error(`${where}: min ${rule.min} is above max ${rule.max}`);
  if (o.parent !== undefined) rule.parent = pattern(o.parent, `${where}.parent`, namePattern);
  if (o.root !== undefined) {
    if (typeof o.root !== 'boolean') throw new Error(`${where}.root: must be true or false`);
    rule.root = o.root;
  }
  if (o.kind !== undefined) rule.kind = oneOf(o.kind, `${where}.kind`, KINDS);
  if (o.status !== undefined) rule.status = oneOf(o.status, `${where}.status`, STATUSES) as SpanRule['status'];
  if (o.message !== undefined) rule.message = pattern(o.message, `${where}.message`, textPattern);
  if (o.exception !== undefined) rule.exception = pattern(o.exception, `${where}.exception`, textPattern);
  if (o.attributes !== undefined) {
    const attrs = object(o.attributes, `${where}.attributes`);
    rule.attributes = Object.entries(attrs).map(([key, v]) => ({ key, matcher: valueMatcher(v, `${where}.attributes.${key}`), source: v }));
  }
  if (o.minDuration !== undefined) rule.minDuration = duration(o.minDuration, `${where}.minDuration`);
  if (o.maxDuration !== undefined) rule.maxDuration = duration(o.maxDuration, `${where}.maxDuration`);
  return rule;
}

function valueMatcher(v: unknown, at: string): ValueMatcher {
  if (v === null) return { kind: 'absent' };
  if (typeof v === 'string') {
    const re = wrap(() => maybeRegex(v), at);
    return re ? { kind: 'regex', pattern: re } : { kind: 'equals', text: v };
  }
  if (typeof v === 'number' || typeof v === 'boolean') return { kind: 'equals', text: String(v) };
  throw new Error(`${at}: must be a string, number, boolean, /regex/ or null (absent)`);
}

function object(value: unknown, at: string, allowed?: string[]): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${at}: must be a map`);
  if (allowed) {
    const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) throw new Error(`${at}: unknown key ${JSON.stringify(unknown[0])} (allowed: ${allowed.join(', ')})`);
  }
  return value as Obj;
}

function string(value: unknown, at: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${at}: must be a non-empty string`);
  return value;
}

function stringMap(value: unknown, at: string): Record<string, string> {
  if (value === undefined) return {};
  const o = object(value, at);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) throw new Error(`${at}.${k}: must be a string, number or boolean`);
    out[k] = String(v);
  }
  return out;
}

function count(value: unknown, at: string): number {
  if (!Number.isInteger(value) || (value as number) < 0) throw new Error(`${at}: must be a whole number ≥ 0`);
  return value as number;
}

function oneOf(value: unknown, at: string, options: string[]): string {
  if (typeof value !== 'string' || !options.includes(value.toLowerCase())) throw new Error(`${at}: must be one of ${options.join(', ')}`);
  return value.toLowerCase();
}

function pattern<T>(value: unknown, at: string, make: (s: string) => T): T {
  return wrap(() => make(string(value, at)), at);
}

function duration(value: unknown, at: string): number {
  return wrap(() => parseDuration(value), at);
}

function wrap<T>(fn: () => T, at: string): T {
  try {
    return fn();
  } catch (err) {
    const msg = (err as Error).message;
    throw new Error(msg.startsWith(`${at}:`) ? msg : `${at}: ${msg}`);
  }
}
