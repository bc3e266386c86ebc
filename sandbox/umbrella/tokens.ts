/** OAuth2 client-credentials tokens of the Umbrella simulator (`POST /auth/v2/token`). */
import { randomBytes } from 'node:crypto';
import { SimHttpError, type SimRequest, type SimResponse } from '../common/index.js';

export interface TokenConfig {
  apiKey: string;
  apiSecret: string;
  /** Lifetime of issued tokens. */
  ttlSeconds: number;
}

/** Tokens issued and not yet expired. */
export class TokenStore {
  private readonly expiries = new Map<string, number>();
  issued = 0;

  constructor(private readonly config: TokenConfig) {}

  /** Answers the token endpoint: HTTP Basic `apiKey:apiSecret`, form `grant_type=client_credentials`. */
  issue(req: SimRequest): SimResponse {
    if (req.method !== 'POST') throw new SimHttpError(405, 'Method Not Allowed');
    if (basicCredentials(req.headers.authorization) !== `${this.config.apiKey}:${this.config.apiSecret}`) {
      throw new SimHttpError(401, 'Invalid client credentials');
    }
    const isForm = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
    if (!isForm || new URLSearchParams(req.body).get('grant_type') !== 'client_credentials') {
      throw new SimHttpError(400, 'grant_type must be client_credentials, sent as a form');
    }
    const token = randomBytes(24).toString('hex');
    this.expiries.set(token, Date.now() + this.config.ttlSeconds * 1000);
    this.issued += 1;
    return {
      status: 200,
      json: { token_type: 'bearer', access_token: token, expires_in: this.config.ttlSeconds },
    };
  }

  /** Whether `token` was issued here and has not expired. */
  valid(token: string | undefined): boolean {
    const expiry = token === undefined ? undefined : this.expiries.get(token);
    return expiry !== undefined && Date.now() < expiry;
  }

  /** Expires every token, so the next API call answers 401; returns how many there were. */
  expireAll(): number {
    const count = this.expiries.size;
    this.expiries.clear();
    return count;
  }

  reset(): void {
    this.expiries.clear();
    this.issued = 0;
  }
}

/** The `Bearer` token of an `Authorization` header. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function basicCredentials(header: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  return match?.[1] === undefined ? undefined : Buffer.from(match[1], 'base64').toString('utf8');
}
