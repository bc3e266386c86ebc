/** The `X-Spark-Signature` Webex puts on webhook POSTs. */
import { createHmac } from 'node:crypto';

/** Lowercase hex HMAC-SHA1 of the exact body bytes, keyed with the webhook secret. */
export function sparkSignature(secret: string, rawBody: string | Uint8Array): string {
  return createHmac('sha1', secret).update(rawBody).digest('hex');
}
