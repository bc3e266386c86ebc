import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks Webex's `X-Spark-Signature`: lowercase hex HMAC-SHA1 of the raw request body
 * keyed with the webhook secret. Raw bytes, not re-serialized JSON; constant-time compare.
 */
export function verifyWebexSignature(opts: {
  rawBody: Buffer;
  signatureHeader: string | string[] | undefined;
  secret: string;
}): boolean {
  const header = Array.isArray(opts.signatureHeader) ? opts.signatureHeader[0] : opts.signatureHeader;
  if (!header || !/^[0-9a-fA-F]{40}$/.test(header.trim())) return false;
  const expected = createHmac('sha1', opts.secret).update(opts.rawBody).digest();
  const given = Buffer.from(header.trim(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Signs a body the way Webex does (used to hand verified events to the framework). */
export function signWebexBody(body: string | Buffer, secret: string): string {
  return createHmac('sha1', secret).update(body).digest('hex');
}
