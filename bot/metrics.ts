/**
 * Prometheus metrics, hand-rolled (a few counters, one histogram, gauges read at scrape time)
 * to keep the dependency tree small. Served at `GET /metrics` in the text exposition format.
 */
import type { FetchLike } from '../integrations/http.js';

type Labels = Record<string, string>;

const POLL_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];

export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly pollDurations: number[] = new Array(POLL_BUCKETS.length).fill(0);
  private pollCount = 0;
  private pollSum = 0;
  private readonly gauges: Array<{ name: string; help: string; read: () => Promise<number> }> = [];

  constructor() {
    this.counter('sna_chatops_alerts_posted_total', 'Alert cards posted to Webex (first post of an incident).');
    this.counter('sna_chatops_digests_posted_total', 'Digest cards posted instead of individual alerts.');
    this.counter('sna_chatops_actions_total', 'Response actions and workflow steps by action and outcome.');
    this.counter('sna_chatops_upstream_requests_total', 'HTTP requests to upstream services by service and status.');
    this.counter('sna_chatops_events_total', 'SNA security events handled, by path (poll or push).');
    this.counter(
      'sna_chatops_webex_incoming_fetch_failures_total',
      'Failed fetches of an incoming message or press, by kind and outcome (retried, or dropped by the framework).',
    );
    this.counter(
      'sna_chatops_sna_records_malformed_total',
      'SMC security-event records skipped because they do not match the documented shape.',
    );
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    const counter = this.counters.get(name);
    if (!counter) throw new Error(`unknown metric ${name}`);
    const key = labelText(labels);
    counter.values.set(key, (counter.values.get(key) ?? 0) + by);
  }

  observePoll(seconds: number): void {
    this.pollCount += 1;
    this.pollSum += seconds;
    POLL_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.pollDurations[i] = (this.pollDurations[i] ?? 0) + 1;
    });
  }

  gauge(name: string, help: string, read: () => Promise<number>): void {
    this.gauges.push({ name, help, read });
  }

  /** Wraps a client's fetch so every upstream call is counted by service and status. */
  instrument(service: string, fetch: FetchLike = globalThis.fetch): FetchLike {
    return async (input, init) => {
      try {
        const res = await fetch(input, init);
        this.inc('sna_chatops_upstream_requests_total', { service, status: String(res.status) });
        return res;
      } catch (err) {
        this.inc('sna_chatops_upstream_requests_total', { service, status: 'network' });
        throw err;
      }
    };
  }

  async render(): Promise<string> {
    const lines: string[] = [];
    for (const [name, { help, values }] of this.counters) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      if (values.size === 0) lines.push(`${name} 0`);
      for (const [labels, value] of values) lines.push(`${name}${labels} ${value}`);
    }
    const poll = 'sna_chatops_poll_duration_seconds';
    lines.push(`# HELP ${poll} Duration of SMC polls.`, `# TYPE ${poll} histogram`);
    POLL_BUCKETS.forEach((le, i) => lines.push(`${poll}_bucket{le="${le}"} ${this.pollDurations[i] ?? 0}`));
    lines.push(
      `${poll}_bucket{le="+Inf"} ${this.pollCount}`,
      `${poll}_sum ${this.pollSum}`,
      `${poll}_count ${this.pollCount}`,
    );
    for (const gauge of this.gauges) {
      const value = await gauge.read().catch(() => Number.NaN);
      lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`, `${gauge.name} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }

  private counter(name: string, help: string): void {
    this.counters.set(name, { help, values: new Map() });
  }
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}`;
}
