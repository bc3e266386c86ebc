import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebexBody, verifyWebexSignature } from '../../../bot/webex/signature.js';

const secret = 'webhook-secret-0123456789';
const sign = (raw: string) => createHmac('sha1', secret).update(raw).digest('hex');

describe('verifyWebexSignature', () => {
  it('accepts the HMAC-SHA1 of the exact raw bytes, in either letter case', () => {
    const raw = '{"id":"w1","data":{"id":"m1"}}';
    expect(verifyWebexSignature({ rawBody: Buffer.from(raw), signatureHeader: sign(raw), secret })).toBe(true);
    expect(verifyWebexSignature({ rawBody: Buffer.from(raw), signatureHeader: sign(raw).toUpperCase(), secret })).toBe(
      true,
    );
  });

  it('checks the bytes as sent, not a re-serialization (spacing and escaped unicode)', () => {
    const raw = '{ "id": "w1", "name": "caf\\u00e9" }';
    expect(JSON.stringify(JSON.parse(raw))).not.toBe(raw);
    expect(verifyWebexSignature({ rawBody: Buffer.from(raw), signatureHeader: sign(raw), secret })).toBe(true);
    const reserialized = sign(JSON.stringify(JSON.parse(raw)));
    expect(verifyWebexSignature({ rawBody: Buffer.from(raw), signatureHeader: reserialized, secret })).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not hex', 'z'.repeat(40)],
    ['too short', 'ab'],
    ['made with another secret', createHmac('sha1', 'other-secret-0123456').update('{}').digest('hex')],
  ])('rejects a signature that is %s', (_label, header) => {
    expect(verifyWebexSignature({ rawBody: Buffer.from('{}'), signatureHeader: header, secret })).toBe(false);
  });

  it('signs the way Webex does', () => {
    expect(signWebexBody('{"a":1}', secret)).toBe(sign('{"a":1}'));
  });
});
