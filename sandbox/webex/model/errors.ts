/**
 * The one error the simulator's model throws. Routes turn it into a Webex
 * error response: `{message, errors:[{description}], trackingId}`.
 */

/** A request the simulated Webex refuses, with the HTTP status it answers. */
export class WebexApiError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'WebexApiError';
    this.status = status;
    this.headers = headers;
  }
}

/** The JSON body Webex sends with an error status. */
export interface WebexErrorBody {
  message: string;
  errors: { description: string }[];
  trackingId: string;
}

/** Builds the Webex error body for a message. */
export function webexErrorBody(message: string, tracking: string): WebexErrorBody {
  return { message, errors: [{ description: message }], trackingId: tracking };
}

/** 400 Bad Request. */
export const badRequest = (message: string): WebexApiError => new WebexApiError(400, message);
/** 403 Forbidden. */
export const forbidden = (message: string): WebexApiError => new WebexApiError(403, message);
/** 404 Not Found. */
export const notFound = (message: string): WebexApiError => new WebexApiError(404, message);
/** 409 Conflict. */
export const conflict = (message: string): WebexApiError => new WebexApiError(409, message);
