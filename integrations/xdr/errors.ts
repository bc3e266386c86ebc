/** XDR-specific errors, on top of the shared taxonomy in `../errors.ts`. None carries credentials. */
import { ApiError } from '../errors.js';

/**
 * The token endpoint refused the API client (400, 401 or 403). Still an {@link ApiError} (same
 * status, not transient), with a message an operator can act on. Names the client id, never the secret.
 */
export class XdrAuthError extends ApiError {
  constructor(opts: { status: number; url: string; clientId: string; detail?: string | undefined }) {
    super({ service: 'xdr', status: opts.status, method: 'POST', url: opts.url, detail: opts.detail });
    this.name = 'XdrAuthError';
    this.message = `the XDR token endpoint refused API client ${clientIdPreview(opts.clientId)} (${opts.status} to ${this.endpoint}); check the client id, secret and region`;
  }

  /** `err` as an XdrAuthError when it is the token endpoint's 400, 401 or 403; unchanged otherwise. */
  static from(err: unknown, clientId: string): unknown {
    if (!(err instanceof ApiError) || ![400, 401, 403].includes(err.status)) return err;
    const url = err.endpoint.replace(/^POST /, '');
    return new XdrAuthError({ status: err.status, url, clientId, detail: err.detail });
  }
}

/**
 * Client ids (`client-<uuid>`) are not secret, but a misconfigured one could be the secret itself
 * (swapped settings): only an id of the documented form is shown.
 */
function clientIdPreview(clientId: string): string {
  return /^client-[0-9a-f-]{8,64}$/i.test(clientId) ? clientId : '(not of the form client-<uuid>)';
}
