/** The SMC REST API of the simulator: session handling first, then one route per documented path. */
import { TEMPLATES } from './catalogue.js';
import { createHostGroups, deleteHostGroup, getHostGroup, listHostGroups, replaceHostGroup } from './host-groups.js';
import { SimHttpError, type SimRequest, type SimResponse } from './http.js';
import { queryResults, queryStatus, startQuery } from './queries.js';
import type { SimState } from './state.js';

/** What the API needs besides the state. */
export interface ApiConfig {
  username: string;
  password: string;
  pollsUntilComplete: number;
  acceptQuirk406: boolean;
  secureCookies: boolean;
}

const LOGIN_PATH = '/token/v2/authenticate';
const JWT_COOKIE = 'stealthwatch.jwt';
const XSRF_COOKIE = 'XSRF-TOKEN';
const REPORTING = '/sw-reporting/v1/tenants';
const REPORTING_V2 = '/sw-reporting/v2/tenants';
const CONFIGURATION = '/smc-configuration/rest/v1/tenants';

interface Route {
  method: string;
  pattern: RegExp;
  run: (params: string[]) => SimResponse;
}

/** Answers one API request (anything outside `/_sim`). */
export function handleApi(state: SimState, config: ApiConfig, req: SimRequest): SimResponse {
  if (req.path === LOGIN_PATH) {
    if (req.method !== 'POST') throw new SimHttpError(405, 'METHOD_NOT_ALLOWED', 'use POST');
    return login(state, config, req);
  }
  const jwt = req.cookies.get(JWT_COOKIE);
  const session = state.session(jwt);
  if (!jwt || !session) throw new SimHttpError(401, 'UNAUTHORIZED', 'no valid session; log in first');
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.headers['x-xsrf-token'] !== session.xsrf) {
    throw new SimHttpError(403, 'FORBIDDEN', 'missing or wrong X-XSRF-TOKEN header');
  }
  const routes = apiRoutes(state, config, req, jwt);
  const candidates = routes.filter((r) => r.pattern.test(req.path));
  if (candidates.length === 0) throw new SimHttpError(404, 'NOT_FOUND', `no such path ${req.path}`);
  const route = candidates.find((r) => r.method === req.method);
  if (!route) throw new SimHttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} not allowed on ${req.path}`);
  return route.run((route.pattern.exec(req.path) ?? []).slice(1));
}

function apiRoutes(state: SimState, config: ApiConfig, req: SimRequest, jwt: string): Route[] {
  const { pollsUntilComplete } = config;
  const tenantOf = (text: string | undefined): number => {
    const id = Number(text);
    if (!state.tenant(id)) throw new SimHttpError(404, 'NOT_FOUND', `no tenant ${text}`);
    return id;
  };
  const id = (text: string | undefined): number => Number(text);
  return [
    { method: 'DELETE', pattern: /^\/token\/?$/, run: () => logout(state, config, jwt) },
    { method: 'GET', pattern: /^\/sw-reporting\/v1\/tenants\/?$/, run: () => tenants(state, config, req) },
    {
      method: 'GET',
      pattern: /^\/sw-reporting\/v1\/tenants\/(\d+)\/?$/,
      run: ([t]) => tenant(state, config, req, tenantOf(t)),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${REPORTING}/(\\d+)/security-events/templates/?$`),
      run: ([t]) => {
        tenantOf(t);
        return { status: 200, json: { data: TEMPLATES } };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${REPORTING}/(\\d+)/security-events/queries/?$`),
      run: ([t]) => startQuery(state, tenantOf(t), req),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${REPORTING}/(\\d+)/security-events/queries/([^/]+)$`),
      run: ([t, job]) => queryStatus(state, tenantOf(t), job ?? '', pollsUntilComplete),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${REPORTING}/(\\d+)/security-events/results/([^/]+)$`),
      run: ([t, job]) => queryResults(state, tenantOf(t), job ?? '', pollsUntilComplete),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${REPORTING_V2}/(\\d+)/flows/queries/?$`),
      run: ([t]) => {
        const tenantId = tenantOf(t);
        return state.flows.start(tenantId, req, { events: state.events.values(), groups: state.groupsOf(tenantId) });
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${REPORTING_V2}/(\\d+)/flows/queries/([^/]+)$`),
      run: ([t, query]) => state.flows.status(tenantOf(t), query ?? '', pollsUntilComplete),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${REPORTING_V2}/(\\d+)/flows/queries/([^/]+)/results$`),
      run: ([t, query]) => state.flows.results(tenantOf(t), query ?? '', pollsUntilComplete),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${CONFIGURATION}/(\\d+)/tags/?$`),
      run: ([t]) => listHostGroups(state, tenantOf(t)),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${CONFIGURATION}/(\\d+)/tags/?$`),
      run: ([t]) => createHostGroups(state, tenantOf(t), req),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${CONFIGURATION}/(\\d+)/tags/(\\d+)$`),
      run: ([t, g]) => getHostGroup(state, tenantOf(t), id(g)),
    },
    {
      method: 'PUT',
      pattern: new RegExp(`^${CONFIGURATION}/(\\d+)/tags/(\\d+)$`),
      run: ([t, g]) => replaceHostGroup(state, tenantOf(t), id(g), req),
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^${CONFIGURATION}/(\\d+)/tags/(\\d+)$`),
      run: ([t, g]) => deleteHostGroup(state, tenantOf(t), id(g)),
    },
  ];
}

/** Form login. The answer never echoes what was sent: the password must not travel back. */
function login(state: SimState, config: ApiConfig, req: SimRequest): SimResponse {
  const form = new URLSearchParams(req.body);
  const isForm = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  if (!isForm || form.get('username') !== config.username || form.get('password') !== config.password) {
    throw new SimHttpError(401, 'UNAUTHORIZED', 'invalid username or password');
  }
  const { jwt, xsrf } = state.openSession();
  const secure = config.secureCookies ? '; Secure' : '';
  return {
    status: 200,
    headers: {
      'Set-Cookie': [`${JWT_COOKIE}=${jwt}; Path=/; HttpOnly${secure}`, `${XSRF_COOKIE}=${xsrf}; Path=/${secure}`],
    },
  };
}

function logout(state: SimState, config: ApiConfig, jwt: string): SimResponse {
  state.sessions.delete(jwt);
  const secure = config.secureCookies ? '; Secure' : '';
  return {
    status: 204,
    headers: {
      'Set-Cookie': [
        `${JWT_COOKIE}=; Path=/; Max-Age=0; HttpOnly${secure}`,
        `${XSRF_COOKIE}=; Path=/; Max-Age=0${secure}`,
      ],
    },
  };
}

/** Reproduces the quirk of some SMC versions: 406 when the client insists on `application/json`. */
function checkAccept(config: ApiConfig, req: SimRequest): void {
  if (config.acceptQuirk406 && req.headers.accept?.trim() === 'application/json') {
    throw new SimHttpError(406, 'NOT_ACCEPTABLE', 'Not Acceptable');
  }
}

/** The tenants endpoints still send JSON when asked for `text/plain`, labelled as asked. */
function tenantsResponse(req: SimRequest, data: unknown): SimResponse {
  const plain = req.headers.accept?.includes('text/plain') ?? false;
  return {
    status: 200,
    json: { data },
    headers: { 'Content-Type': plain ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8' },
  };
}

function tenants(state: SimState, config: ApiConfig, req: SimRequest): SimResponse {
  checkAccept(config, req);
  return tenantsResponse(req, state.tenants);
}

function tenant(state: SimState, config: ApiConfig, req: SimRequest, id: number): SimResponse {
  checkAccept(config, req);
  return tenantsResponse(req, state.tenant(id));
}
