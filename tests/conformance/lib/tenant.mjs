// What the suites share: the two tenants, the seeded clients and users, a cookie-keeping "browser" that signs in at
// the tenant's login page, and the tenant's test controls.
import { createHash, randomBytes } from 'node:crypto';

export const tenants = [
  { name: 'https', url: process.env.LL_TENANT_HTTPS },
  { name: 'http', url: process.env.LL_TENANT_HTTP },
].filter((t) => t.url);
export const httpsTenant = tenants.find((t) => t.name === 'https');

export const web = {
  clientId: 'legacylinking-web',
  clientSecret: 'dev-only-web-secret',
  redirectUri: 'http://127.0.0.1:5080/callback',
  logoutUrl: 'http://127.0.0.1:5080/',
};
export const spaClientId = 'legacylinking-spa';
/** The tests' own seeded client: client credentials only, every Management API scope (users, logs, tenant settings). */
export const admin = { clientId: 'legacylinking-tests', clientSecret: 'dev-only-tests-secret' };

export const seeded = {
  john: 'google-oauth2|115015401343387192604',
  johnSms: 'sms|560ebaeef609ee1adaa7c551',
  ada: 'auth0|5f7c8ec7c33c6c004bbafe82',
  adaGithub: 'github|1234567',
  adaFacebook: 'facebook|10158000000000001',
  adaEmail: 'ada@example.com',
  adaPassword: 'Ada-Passw0rd!',
};

/** "tenant.example:port" as the SDKs take it (they build https://{domain}). */
export const domainOf = (url) => new URL(url).host;
export const managementAudience = (url) => `${url}/api/v2/`;

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const random = () => randomBytes(12).toString('base64url');

/** A browser without a screen: keeps cookies per host, follows nothing by itself, submits the tenant's login forms. */
export class Browser {
  #cookies = new Map();

  async get(url) { return this.#send(url, { method: 'GET' }); }

  async post(url, form) {
    return this.#send(url, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  async #send(url, init) {
    const target = new URL(url);
    const jar = this.#cookies.get(target.host) ?? new Map();
    const headers = { ...(init.headers ?? {}), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name); else jar.set(name, value);
    }
    this.#cookies.set(target.host, jar);
    const location = response.headers.get('location');
    return { status: response.status, url: target, location: location ? new URL(location, target) : null, response, text: () => response.text() };
  }

  /**
   * Opens an /authorize URL and follows the tenant's own redirects until the answer leaves the tenant (the redirect to
   * the client, returned) or a login page is reached (then signs in as <sub> with "continue as" for social identities,
   * or with email and password for the database connection).
   */
  async authorize(authorizeUrl, login) {
    let step = await this.get(authorizeUrl);
    const origin = new URL(authorizeUrl).origin;
    for (let hop = 0; hop < 10; hop++) {
      if (step.location && step.location.origin !== origin) return step;
      if (step.location) { step = await this.get(step.location); continue; }
      const html = await step.text();
      if (step.status !== 200 || !login) return { ...step, html };
      step = await this.#submitLogin(step.url, html, login);
      login = null; // one sign-in per authorization
    }
    throw new Error('too many redirects at the tenant');
  }

  async #submitLogin(pageUrl, html, login) {
    const forms = html.split('<form').slice(1).map((f) => '<form' + f.split('</form>')[0]);
    const pick = login.email
      ? forms.find((f) => /name="Email"/.test(f))
      : forms.find((f) => f.includes(`data-test="continue-as-${login.sub}"`));
    if (!pick) throw new Error(`no login form for ${login.email ?? login.sub} on ${pageUrl}`);
    const action = new URL(decode(/action="([^"]*)"/.exec(pick)[1]), pageUrl);
    const fields = {};
    for (const [tag] of pick.matchAll(/<input[^>]*>/g)) {
      const attributes = Object.fromEntries([...tag.matchAll(/([a-zA-Z_-]+)="([^"]*)"/g)].map((m) => [m[1], decode(m[2])]));
      if (attributes.type === 'hidden' && attributes.name) fields[attributes.name] = attributes.value ?? '';
    }
    if (login.email) Object.assign(fields, { Email: login.email, Password: login.password });
    else fields.Sub = login.sub;
    return this.post(action, fields);
  }
}

const decode = (text) => text.replace(/&amp;/g, '&').replace(/&#x2B;/g, '+').replace(/&#x7C;/g, '|').replace(/&#x2F;/g, '/')
  .replace(/&#x3D;/g, '=').replace(/&#x3F;/g, '?').replace(/&#x3A;/g, ':').replace(/&quot;/g, '"').replace(/&#x27;/g, "'")
  .replace(/&#x25;/g, '%').replace(/&#x26;/g, '&');

/** An /authorize URL for the seeded web client with PKCE; returns the URL and what the redemption needs. */
export function webAuthorize(tenantUrl, extra = {}) {
  const { verifier, challenge } = pkce();
  const state = random();
  const nonce = random();
  const url = new URL(`${tenantUrl}/authorize`);
  const params = {
    client_id: web.clientId, redirect_uri: web.redirectUri, response_type: 'code', scope: 'openid profile email offline_access',
    state, nonce, code_challenge: challenge, code_challenge_method: 'S256',
    ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)),
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return { url, verifier, state, nonce };
}

/** The tenant's test controls (docs/local-tenant.md); their state changes take JSON only, so a POST always sends a body. */
export async function controls(tenantUrl, method, path, body) {
  const json = body ?? (method === 'GET' ? undefined : {});
  const response = await fetch(`${tenantUrl}/test/${path}`, {
    method, headers: json ? { 'content-type': 'application/json' } : {}, body: json ? JSON.stringify(json) : undefined,
  });
  if (!response.ok) throw new Error(`${method} /test/${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

/**
 * A client-credentials token of the tests' admin client (read/update/create/delete users, logs, tenant settings); the
 * seeded web client holds only what the app uses (read:users update:users read:logs).
 */
export async function serverToken(tenantUrl, scope) {
  const response = await fetch(`${tenantUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: admin.clientId, client_secret: admin.clientSecret, audience: managementAudience(tenantUrl), scope }),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`client_credentials: ${response.status} ${JSON.stringify(json)}`);
  return json.access_token;
}

/** Signs John in with code + PKCE and redeems the code (plain fetch): { access_token, id_token, refresh_token }. */
export async function userTokens(tenantUrl, { sub = seeded.john, scope, audience, browser = new Browser() } = {}) {
  const { url, verifier } = webAuthorize(tenantUrl, { scope, audience });
  const back = await browser.authorize(url, { sub });
  const code = back.location?.searchParams.get('code');
  if (!code) throw new Error(`no code: ${back.status} ${back.location}`);
  const response = await fetch(`${tenantUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: web.clientId, client_secret: web.clientSecret, code, redirect_uri: web.redirectUri, code_verifier: verifier }),
  });
  return response.json();
}

export const jwtPayload = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));
export const jwtHeader = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url'));
