/** What a person is told about a failure: the service and its status, never an internal URL or a raw message. */
import { describe, expect, it } from 'vitest';
import { describeUpstreamError } from '../../bot/errors.js';
import { ApiError, JobFailedError, LookupError, NetworkError, WireError } from '../../integrations/errors.js';

const INTERNAL = 'https://smc.corp.internal:8443/sw-reporting/v2/tenants/102/security-events/queries/77';

describe('describeUpstreamError', () => {
  it.each([
    [
      new ApiError({ service: 'xdr', status: 503, method: 'POST', url: INTERNAL, detail: 'stack at x.js:1' }),
      'Cisco XDR had an internal error (503)',
    ],
    [
      new ApiError({ service: 'sna', status: 401, method: 'GET', url: INTERNAL }),
      'the SMC refused our credentials (401)',
    ],
    [
      new ApiError({ service: 'umbrella', status: 429, method: 'GET', url: INTERNAL }),
      'Umbrella is rate limiting us (429)',
    ],
    [
      new NetworkError({
        service: 'sna',
        method: 'GET',
        url: INTERNAL,
        cause: new Error('connect ECONNREFUSED 10.1.2.3:8443'),
      }),
      'the SMC is unreachable',
    ],
    [
      new NetworkError({ service: 'virustotal', method: 'GET', url: INTERNAL, cause: undefined, timedOut: true }),
      'VirusTotal did not answer in time',
    ],
    [
      new WireError({
        service: 'secure-endpoint',
        method: 'GET',
        url: INTERNAL,
        issues: ['data.0.id: expected string'],
      }),
      'Secure Endpoint sent a response we do not understand',
    ],
    [new JobFailedError({ service: 'sna', url: INTERNAL, jobId: '77' }), 'the SMC reported its search as failed'],
    [
      new TypeError(`Cannot read properties of undefined (reading 'x') at ${INTERNAL}`),
      'unexpected error (see the log)',
    ],
  ])('%s → %j', (err, said) => {
    expect(describeUpstreamError(err)).toBe(said);
    expect(describeUpstreamError(err)).not.toMatch(/corp\.internal|https?:|10\.1\.2\.3/);
  });

  it('names a configured lookup that matched nothing, which the operator typed into the configuration', () => {
    const err = new LookupError({
      service: 'sna',
      message: 'no SMC tenant has id 999 (SNA_TENANT_ID)',
      unknown: ['999'],
    });
    expect(describeUpstreamError(err)).toBe('no SMC tenant has id 999 (SNA_TENANT_ID)');
  });
});
