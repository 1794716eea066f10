/** A handful of counters in Prometheus text format: enough for /metrics without a metrics SDK. */
export class OrderMetrics {
  private readonly outcomes = new Map<string, number>();

  count(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  render(): string {
    const lines = ['# HELP tracelab_orders_total Orders handled, by outcome.', '# TYPE tracelab_orders_total counter'];
    for (const [outcome, n] of [...this.outcomes].sort()) lines.push(`tracelab_orders_total{outcome="${outcome}"} ${n}`);
    return `${lines.join('\n')}\n`;
  }
}
