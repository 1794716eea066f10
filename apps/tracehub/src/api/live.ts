/**
 * Live trace summaries over Server-Sent Events. After each commit the touched
 * trace ids are collected; every `intervalMs` their fresh summaries are pushed
 * to each connected client (only while someone listens).
 */
import type { ServerResponse } from 'node:http';
import type { SpanRecord, TraceSummary } from '../model.js';
import { summaryJson } from './present.js';

export class LiveFeed {
  private clients = new Set<ServerResponse>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout;
  private ping: NodeJS.Timeout;
  private flushing = false;

  constructor(
    private readonly summaries: (traceIds: string[]) => Promise<TraceSummary[]>,
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.ping = setInterval(() => this.broadcast(': ping\n\n'), 15_000);
    this.timer.unref();
    this.ping.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  add(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  /** Called after each commit. */
  onSpans(spans: SpanRecord[]): void {
    if (this.clients.size === 0) return;
    for (const s of spans) this.pending.add(s.traceId);
  }

  private broadcast(text: string): void {
    for (const c of this.clients) c.write(text);
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.pending.size === 0 || this.clients.size === 0) {
      if (this.clients.size === 0) this.pending.clear();
      return;
    }
    this.flushing = true;
    const ids = [...this.pending].slice(0, 500);
    for (const id of ids) this.pending.delete(id);
    try {
      const sums = await this.summaries(ids);
      let text = '';
      for (const s of sums) text += `event: trace\ndata: ${JSON.stringify(summaryJson(s))}\n\n`;
      if (text) this.broadcast(text);
    } catch {
      /* the store is closing; nothing to push */
    } finally {
      this.flushing = false;
    }
  }

  close(): void {
    clearInterval(this.timer);
    clearInterval(this.ping);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }
}
