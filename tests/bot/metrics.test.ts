import { describe, expect, it } from 'vitest';
import { Metrics } from '../../bot/metrics.js';

describe('Metrics', () => {
  it('escapes label values as the exposition format says, instead of mangling them', async () => {
    const metrics = new Metrics();
    metrics.inc('sna_chatops_actions_total', { action: 'tag "quarantine"', outcome: 'C:\\temp\nnext' });

    const text = await metrics.render();
    expect(text).toContain('sna_chatops_actions_total{action="tag \\"quarantine\\"",outcome="C:\\\\temp\\nnext"} 1');
  });

  it('serves the same counters, histogram and gauges as before, plus the process metrics', async () => {
    const metrics = new Metrics();
    metrics.inc('sna_chatops_alerts_posted_total');
    metrics.inc('sna_chatops_upstream_requests_total', { service: 'sna', status: '200' }, 3);
    metrics.observePoll(0.3);
    metrics.gauge('sna_chatops_outbox_depth', 'Cards waiting for Webex.', async () => 4);
    metrics.gauge('sna_chatops_state_up', '1 when the state store answers.', () => Promise.reject(new Error('down')));

    const text = await metrics.render();
    expect(text).toMatch(/^# TYPE sna_chatops_alerts_posted_total counter$/m);
    expect(text).toMatch(/^sna_chatops_alerts_posted_total 1$/m);
    expect(text).toMatch(/^sna_chatops_upstream_requests_total\{service="sna",status="200"\} 3$/m);
    expect(text).toMatch(/^sna_chatops_poll_duration_seconds_bucket\{le="0.25"\} 0$/m);
    expect(text).toMatch(/^sna_chatops_poll_duration_seconds_bucket\{le="0.5"\} 1$/m);
    expect(text).toMatch(/^sna_chatops_poll_duration_seconds_count 1$/m);
    expect(text).toMatch(/^sna_chatops_outbox_depth 4$/m);
    expect(text).toMatch(/^sna_chatops_state_up NaN$/im);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('counts each upstream call by service and status, and failures to reach it as network', async () => {
    const metrics = new Metrics();
    const fetch = metrics.instrument('xdr', async () => new Response('', { status: 429 }));
    await fetch('http://127.0.0.1:9/x');
    const broken = metrics.instrument('xdr', () => Promise.reject(new TypeError('fetch failed')));
    await expect(broken('http://127.0.0.1:9/x')).rejects.toThrow(TypeError);

    const text = await metrics.render();
    expect(text).toMatch(/^sna_chatops_upstream_requests_total\{service="xdr",status="429"\} 1$/m);
    expect(text).toMatch(/^sna_chatops_upstream_requests_total\{service="xdr",status="network"\} 1$/m);
  });
});
