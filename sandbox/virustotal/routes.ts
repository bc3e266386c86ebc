/** The VirusTotal v3 API of the simulator: `x-apikey`, the quota, then the four object collections. */
import { isIP } from 'node:net';
import { SimHttpError, type SimRequest, type SimResponse } from '../common/index.js';
import type { MinuteQuota } from './quota.js';
import { type Collection, objectBody, type VerdictTable } from './verdicts.js';

export interface ApiContext {
  verdicts: VerdictTable;
  quota: MinuteQuota;
  apiKey: string;
}

const PATH = /^\/api\/v3\/(files|ip_addresses|domains|urls)\/([^/]+)$/;

/** VirusTotal's error codes by status (docs.virustotal.com/reference/errors). */
const CODES: Record<number, string> = {
  400: 'BadRequestError',
  401: 'AuthenticationRequiredError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  409: 'AlreadyExistsError',
  429: 'QuotaExceededError',
  503: 'TransientError',
  504: 'DeadlineExceededError',
};

/** Answers one API call. */
export function handleApi(ctx: ApiContext, req: SimRequest): SimResponse {
  const key = req.headers['x-apikey'];
  if (typeof key !== 'string' || key === '') {
    throw new SimHttpError(401, 'X-Apikey header is missing', 'AuthenticationRequiredError');
  }
  if (key !== ctx.apiKey) throw new SimHttpError(401, 'Wrong API key', 'WrongCredentialsError');
  if (!ctx.quota.take(key)) throw new SimHttpError(429, 'Quota exceeded', 'QuotaExceededError');
  const match = PATH.exec(req.path);
  if (!match) throw new SimHttpError(404, `Resource not found: ${req.path}`, 'NotFoundError');
  if (req.method !== 'GET') throw new SimHttpError(405, 'Method not allowed', 'MethodNotAllowedError');
  const collection = match[1] as Collection;
  const id = match[2] ?? '';
  checkId(collection, id);
  const entry = ctx.verdicts.find(collection, id);
  if (!entry) throw new SimHttpError(404, `${describe(collection)} "${id}" not found`, 'NotFoundError');
  return { status: 200, json: objectBody(req.origin, entry) };
}

function checkId(collection: Collection, id: string): void {
  const valid =
    collection === 'ip_addresses'
      ? isIP(id) !== 0
      : collection === 'files'
        ? /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i.test(id)
        : collection === 'domains'
          ? /^[A-Za-z0-9._-]{1,253}$/.test(id)
          : /^[A-Za-z0-9_-]{1,8192}$/.test(id);
  if (!valid)
    throw new SimHttpError(400, `Invalid ${describe(collection).toLowerCase()} identifier`, 'InvalidArgumentError');
}

function describe(collection: Collection): string {
  return { files: 'File', ip_addresses: 'IP address', domains: 'Domain', urls: 'URL' }[collection];
}

/** VirusTotal's error envelope: `{"error": {"code", "message"}}`. */
export function errorResponse(error: SimHttpError): SimResponse {
  const code = error.code ?? CODES[error.status] ?? (error.status >= 500 ? 'TransientError' : 'BadRequestError');
  return { status: error.status, json: { error: { code, message: error.message } }, headers: error.headers ?? {} };
}
