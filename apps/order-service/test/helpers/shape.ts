import { buildSpanForest } from '../../../../scripts/lib/span-tree.mjs';
import type { ApiSpan } from '@tracelab/test-support/system';

interface Node {
  span: ApiSpan;
  children: Node[];
}

/**
 * A trace's structure as text, one span per line, two spaces per level:
 * "name [service kind]" plus " ERROR". pg span names end in the database name,
 * which differs per test run, so they are cut to "pg.query:<OPERATION>".
 */
export function traceShape(spans: ApiSpan[]): string {
  const lines: string[] = [];
  const walk = (n: Node, depth: number) => {
    const name = n.span.name.startsWith('pg.query:') ? n.span.name.split(' ')[0] : n.span.name;
    lines.push(`${'  '.repeat(depth)}${name} [${n.span.service} ${n.span.kind}]${n.span.status.code === 'error' ? ' ERROR' : ''}`);
    n.children.forEach((c) => walk(c, depth + 1));
  };
  (buildSpanForest(spans) as Node[]).forEach((r) => walk(r, 0));
  return lines.join('\n');
}
