// Lock-era browser clients: the implicit and hybrid response types as Auth0 answers them, then auth0.js 9 in headless
// Chromium (Debian's /usr/bin/chromium, never a downloaded browser) on a static page the harness serves: the ID token
// as the bearer of POST /identities (the deprecated flow, only while enable_idtoken_api2 is on), and the same SPA moved
// to an access token with update:current_user_identities.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { httpsTenant, spaClientId, web, seeded, domainOf, Browser, random, jwtPayload, jwtHeader, serverToken } from '../lib/tenant.mjs';

const url = httpsTenant.url;
const domain = domainOf(url);
const spaPage = `${process.env.LL_SPA_URL}/spa.html`;

/** The fragment (or query) parameters of a redirect back to a client. */
const paramsOf = (location) => new URLSearchParams(location.hash ? location.hash.slice(1) : location.search);

function authorizeUrl(params) {
  const target = new URL(`${url}/authorize`);
  for (const [k, v] of Object.entries({ client_id: spaClientId, redirect_uri: spaPage, state: random(), ...params })) target.searchParams.set(k, v);
  return target;
}

/** Takes every linked identity off <primary> again (server token), so later suites find the seed as it was. */
async function unlinkAll(primary) {
  const token = await serverToken(url);
  const headers = { authorization: `Bearer ${token}` };
  const user = await fetch(`${url}/api/v2/users/${encodeURIComponent(primary)}`, { headers }).then((r) => r.json());
  for (const identity of user.identities.slice(1))
    await fetch(`${url}/api/v2/users/${encodeURIComponent(primary)}/identities/${identity.provider}/${identity.user_id}`, { method: 'DELETE', headers });
}

async function setIdTokenFlag(value) {
  const response = await fetch(`${url}/api/v2/tenants/settings`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${await serverToken(url)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ flags: { enable_idtoken_api2: value } }),
  });
  assert.equal(response.status, 200);
}

describe('implicit and hybrid response types (Auth0\'s "Implicit" grant type, per client)', () => {
  test('token id_token: both tokens in the fragment, at_hash in the ID token, the access token for the API', async () => {
    const nonce = random();
    const back = await new Browser().authorize(authorizeUrl({
      response_type: 'token id_token', nonce, scope: 'openid profile update:current_user_identities', audience: `${url}/api/v2/`,
    }), { sub: seeded.john });
    assert.equal(back.location.href.split('#')[0], spaPage);
    const params = paramsOf(back.location);
    const id = jwtPayload(params.get('id_token'));
    const access = jwtPayload(params.get('access_token'));
    assert.equal(params.get('token_type'), 'Bearer');
    assert.equal(id.nonce, nonce);
    assert.equal(id.aud, spaClientId);
    const digest = createHash('sha256').update(params.get('access_token')).digest();
    assert.equal(id.at_hash, digest.subarray(0, 16).toString('base64url'));
    assert.deepEqual(access.aud, [`${url}/api/v2/`, `${url}/userinfo`]);
    assert.equal(access.azp, spaClientId);
    assert.equal(jwtHeader(params.get('access_token')).typ, 'JWT');
    assert.equal(params.get('refresh_token'), null, 'no refresh token from /authorize');
  });

  test('id_token alone, and the hybrid code id_token (c_hash), answer in the fragment', async () => {
    const browser = new Browser();
    const idOnly = await browser.authorize(authorizeUrl({ response_type: 'id_token', nonce: random(), scope: 'openid' }), { sub: seeded.john });
    assert.ok(paramsOf(idOnly.location).get('id_token'));
    assert.equal(paramsOf(idOnly.location).get('access_token'), null);
    const hybrid = await browser.authorize(authorizeUrl({ response_type: 'code id_token', nonce: random(), scope: 'openid' }), null);
    const params = paramsOf(hybrid.location);
    assert.ok(params.get('code'));
    assert.ok(jwtPayload(params.get('id_token')).c_hash);
  });

  test('nonce is required with an ID token from /authorize', async () => {
    // The tenant answers on its own error page (docs/local-tenant.md lists this difference from Auth0's redirect).
    const back = await new Browser().authorize(authorizeUrl({ response_type: 'token id_token', scope: 'openid' }), null);
    assert.equal(back.status, 400);
    assert.match(back.html, /data-test="error-code">invalid_request</);
    assert.match(back.html, /nonce/);
  });

  test('a client without the Implicit grant type may not use it (the regular web app)', async () => {
    const target = new URL(`${url}/authorize`);
    for (const [k, v] of Object.entries({ client_id: web.clientId, redirect_uri: web.redirectUri, response_type: 'token id_token', nonce: random(), state: random(), scope: 'openid' }))
      target.searchParams.set(k, v);
    const back = await new Browser().authorize(target, null);
    assert.equal(back.status, 400);
    assert.match(back.html, /data-test="error-code">unauthorized_client</);
  });
});

describe('auth0.js 9 in headless Chromium: the Lock-era SPA', () => {
  let browser;
  let page;
  const options = { domain, clientID: spaClientId, redirectUri: spaPage, responseType: 'token id_token', scope: 'openid profile email' };

  before(async () => {
    // Trust exactly the tenant's development certificate (its public key), nothing else.
    const spki = createHash('sha256')
      .update(new X509Certificate(readFileSync(process.env.LL_TENANT_CERTIFICATE)).publicKey.export({ type: 'spki', format: 'der' }))
      .digest('base64');
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', `--ignore-certificate-errors-spki-list=${spki}`],
    });
    page = await (await browser.newContext()).newPage();
  });

  after(async () => {
    await browser?.close();
    await setIdTokenFlag(true);
  });

  /** auth0.js authorize() from the page, "continue as" at the tenant's login page, back to parseHash(). */
  async function login(sub, extra = {}, params = {}) {
    await page.goto(spaPage);
    await Promise.all([
      page.waitForURL((u) => u.origin === new URL(url).origin, { timeout: 15_000 }),
      page.evaluate(([o, p]) => window.spa.login(o, p), [{ ...options, ...extra }, params]),
    ]);
    const button = page.locator(`[data-test="continue-as-${sub}"]`);
    await button.click();
    await page.waitForURL((u) => u.href.startsWith(spaPage), { timeout: 15_000 });
    const parsed = await page.evaluate((o) => window.spa.parse(o), { ...options, ...extra });
    assert.ok(parsed.result, `auth0.js refused the tokens: ${JSON.stringify(parsed.error)}`);
    return parsed.result;
  }

  test('the deprecated flow: the ID token is the bearer of POST /identities while enable_idtoken_api2 is on, and refused once it is off', async () => {
    await setIdTokenFlag(true);
    const primary = await login(seeded.john);
    assert.equal(primary.idTokenPayload.sub, seeded.john);
    const secondary = await login(seeded.adaGithub, {}, { prompt: 'login' });
    assert.equal(secondary.idTokenPayload.sub, seeded.adaGithub);

    const linked = await page.evaluate(([d, t, u, s]) => window.spa.link(d, t, u, s), [domain, primary.idToken, seeded.john, secondary.idToken]);
    assert.ok(linked.result?.some((i) => i.provider === 'github'), `link with the ID token as bearer: ${JSON.stringify(linked.error)}`);

    await setIdTokenFlag(false);
    const another = await login(seeded.adaFacebook, {}, { prompt: 'login' });
    const refused = await page.evaluate(([d, t, u, s]) => window.spa.link(d, t, u, s), [domain, primary.idToken, seeded.john, another.idToken]);
    assert.equal(refused.error?.statusCode, 401, `with the flag off the ID token bearer is refused: ${JSON.stringify(refused)}`);
    await unlinkAll(seeded.john);
  });

  test('the migrated SPA: an access token with update:current_user_identities links with link_with', async () => {
    const primary = await login(seeded.john, { audience: `${url}/api/v2/`, scope: 'openid update:current_user_identities' }, { prompt: 'login' });
    assert.ok(jwtPayload(primary.accessToken).scope.split(' ').includes('update:current_user_identities'));
    const secondary = await login(seeded.adaFacebook, {}, { prompt: 'login' });

    const linked = await page.evaluate(([d, t, u, s]) => window.spa.link(d, t, u, s), [domain, primary.accessToken, seeded.john, secondary.idToken]);
    assert.ok(linked.result?.some((i) => i.provider === 'facebook'), `link with the access token: ${JSON.stringify(linked.error)}`);
    await unlinkAll(seeded.john);
  });
});
