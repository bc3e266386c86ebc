/** The simulated OAuth2 client-credentials token endpoint and bearer-token checks (api-contracts.md §2.2). */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { SimHttpError, type SimRequest, type SimResponse } from './http.js';

/** Who a valid token was issued to; entities it creates are owned by it. */
export interface Principal {
  clientId: string;
  orgId: string;
}

interface IssuedToken {
  expiresAt: number;
  revoked: boolean;
}

const SCOPE = 'enrich:read inspect:read private-intel response';

/** Issues and checks tokens for the one configured API client. */
export class TokenAuthority {
  private readonly tokens = new Map<string, IssuedToken>();
  ttlSeconds: number;

  constructor(
    private readonly client: { clientId: string; clientSecret: string; orgId: string },
    private readonly defaultTtlSeconds: number,
    private readonly now: () => number,
  ) {
    this.ttlSeconds = defaultTtlSeconds;
  }

  /** `POST /iroh/oauth2/token`: Basic client credentials, form body `grant_type=client_credentials`. */
  grant(req: SimRequest): SimResponse {
    if (!this.basicMatches(req.headers.authorization)) {
      throw new SimHttpError(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') !== 'client_credentials') {
      throw new SimHttpError(400, {
        error: 'unsupported_grant_type',
        error_description: 'only grant_type=client_credentials is supported',
      });
    }
    const accessToken = `sim.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(accessToken, { expiresAt: this.now() + this.ttlSeconds * 1000, revoked: false });
    return {
      status: 200,
      json: { access_token: accessToken, token_type: 'bearer', expires_in: this.ttlSeconds, scope: SCOPE },
    };
  }

  /** The principal of a valid bearer token, or a 401 in IROH's envelope. */
  authenticate(req: SimRequest): Principal {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1]) throw unauthorized('invalid_request', 'No JWT found in HTTP Authorization header');
    const token = this.tokens.get(match[1]);
    if (!token || token.revoked || this.now() >= token.expiresAt) {
      throw unauthorized('invalid_token', 'The access token is invalid, expired or revoked');
    }
    return { clientId: this.client.clientId, orgId: this.client.orgId };
  }

  /** Makes every token issued so far answer 401; returns how many were valid. */
  expireAll(): number {
    let expired = 0;
    for (const token of this.tokens.values()) {
      if (!token.revoked && this.now() < token.expiresAt) expired += 1;
      token.revoked = true;
    }
    return expired;
  }

  /** Issued and still-valid token counts. */
  counts(): { issued: number; valid: number } {
    const valid = [...this.tokens.values()].filter((t) => !t.revoked && this.now() < t.expiresAt).length;
    return { issued: this.tokens.size, valid };
  }

  reset(): void {
    this.tokens.clear();
    this.ttlSeconds = this.defaultTtlSeconds;
  }

  private basicMatches(header: string | undefined): boolean {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
    if (!match?.[1]) return false;
    const given = Buffer.from(match[1], 'base64');
    const expected = Buffer.from(`${this.client.clientId}:${this.client.clientSecret}`, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

function unauthorized(error: string, description: string): SimHttpError {
  return new SimHttpError(401, { error, error_description: description, trace_id: randomUUID() });
}
