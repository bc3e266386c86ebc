/**
 * Prometheus metrics with prom-client: a few counters, one histogram, gauges read at scrape time,
 * and the default process metrics (CPU, memory, event loop, GC). Served at `GET /metrics` in the
 * text exposition format, label values escaped as the format says.
 */
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import type { FetchLike } from '../integrations/http.js';
import { deferModule } from './deferred-modules.js';

// prom-client loads OpenTelemetry's API (51 modules) for exemplars, which the bot leaves off: it is
// deferred to first use, so prom-client is required here rather than imported (see deferred-modules).
const require = createRequire(import.meta.url);
deferModule(require.resolve('prom-client'), '@opentelemetry/api');
const { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } = require('prom-client') as typeof PromClient;

type Labels = Record<string, string>;

const POLL_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];

/** Every counter: its help and the labels it is counted by. */
const COUNTERS = {
  sna_chatops_alerts_posted_total: {
    help: 'Alert cards posted to Webex (first post of an incident).',
    labels: [],
  },
  sna_chatops_digests_posted_total: { help: 'Digest cards posted instead of individual alerts.', labels: [] },
  sna_chatops_actions_total: {
    help: 'Response actions and workflow steps by action and outcome.',
    labels: ['action', 'outcome'],
  },
  sna_chatops_upstream_requests_total: {
    help: 'HTTP requests to upstream services by service and status.',
    labels: ['service', 'status'],
  },
  sna_chatops_events_total: { help: 'SNA security events handled, by path (poll or push).', labels: ['path'] },
  sna_chatops_webex_incoming_fetch_failures_total: {
    help: 'Failed fetches of an incoming message or press, by kind and outcome (retried, or dropped by the framework).',
    labels: ['kind', 'outcome'],
  },
  sna_chatops_sna_records_malformed_total: {
    help: 'SMC security-event records skipped because they do not match the documented shape.',
    labels: [],
  },
} as const satisfies Record<string, { help: string; labels: readonly string[] }>;

export type CounterName = keyof typeof COUNTERS;

export class Metrics {
  private readonly registry = new Registry();
  private readonly counters = new Map<string, PromClient.Counter>();
  private readonly pollDurations: PromClient.Histogram;

  constructor() {
    for (const [name, { help, labels }] of Object.entries(COUNTERS)) {
      this.counters.set(name, new Counter({ name, help, labelNames: labels, registers: [this.registry] }));
    }
    this.pollDurations = new Histogram({
      name: 'sna_chatops_poll_duration_seconds',
      help: 'Duration of SMC polls.',
      buckets: POLL_BUCKETS,
      registers: [this.registry],
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** The `Content-Type` of {@link render}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  inc(name: CounterName, labels: Labels = {}, by = 1): void {
    const counter = this.counters.get(name);
    if (!counter) throw new Error(`unknown metric ${name}`);
    counter.inc(labels, by);
  }

  observePoll(seconds: number): void {
    this.pollDurations.observe(seconds);
  }

  /** A gauge whose value `read` gives at each scrape (NaN when it fails). */
  gauge(name: string, help: string, read: () => Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read().catch(() => Number.NaN));
      },
    });
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

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
