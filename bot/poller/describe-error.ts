import { ApiError, NetworkError, WireError } from '../../integrations/http.js';

const SERVICE_NAMES: Record<string, string> = {
  sna: 'the SMC',
  webex: 'Webex',
  xdr: 'Cisco XDR',
  umbrella: 'Umbrella',
  'secure-endpoint': 'Secure Endpoint',
  virustotal: 'VirusTotal',
};

/** One short line, safe for chat and logs, saying what went wrong upstream. */
export function describeUpstreamError(err: unknown): string {
  if (err instanceof ApiError) {
    const who = SERVICE_NAMES[err.service] ?? err.service;
    if (err.status === 401 || err.status === 403) return `${who} refused our credentials (${err.status})`;
    if (err.status === 429) return `${who} is rate limiting us (429)`;
    if (err.status >= 500) return `${who} had an internal error (${err.status})`;
    return `${who} answered ${err.status}`;
  }
  if (err instanceof NetworkError) {
    const who = SERVICE_NAMES[err.service] ?? err.service;
    return err.timedOut ? `${who} did not answer in time` : `${who} is unreachable`;
  }
  if (err instanceof WireError)
    return `${SERVICE_NAMES[err.service] ?? err.service} sent a response we do not understand`;
  if (err instanceof Error && err.message) return err.message.split('\n')[0] ?? 'unexpected error';
  return 'unexpected error';
}
