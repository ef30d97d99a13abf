// The OpenID-certified openid-client 6 against the tenant, over https and over http: discovery, code + PKCE,
// refresh, client credentials, userinfo, prompt=none, logout, and the errors it turns into typed errors.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { tenants, web, seeded, Browser, webAuthorize, managementAudience, jwtHeader, jwtPayload } from '../lib/tenant.mjs';

for (const tenant of tenants) {
  describe(`openid-client over ${tenant.name}`, () => {
    let config;
    const options = tenant.name === 'http' ? { execute: [client.allowInsecureRequests] } : undefined;

    before(async () => {
      config = await client.discovery(new URL(`${tenant.url}/`), web.clientId, web.clientSecret, undefined, options);
    });

    /** Code + PKCE through the tenant's login page, redeemed and validated by openid-client. */
    async function signIn(browser, extra = {}) {
      const start = webAuthorize(tenant.url, extra);
      const back = await browser.authorize(start.url, { sub: seeded.john });
      const tokens = await client.authorizationCodeGrant(config, back.location, {
        pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce, idTokenExpected: true,
      });
      return tokens;
    }

    test('discovery: the issuer carries the trailing slash and the endpoints are Auth0\'s', () => {
      const metadata = config.serverMetadata();
      assert.equal(metadata.issuer, `${tenant.url}/`);
      assert.equal(metadata.token_endpoint, `${tenant.url}/oauth/token`);
      assert.equal(metadata.userinfo_endpoint, `${tenant.url}/userinfo`);
      assert.equal(metadata.jwks_uri, `${tenant.url}/.well-known/jwks.json`);
      assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    });

    test('code + PKCE: the ID token passes openid-client\'s validation; tokens are typ JWT without OpenIddict claims', async () => {
      const tokens = await signIn(new Browser(), { audience: managementAudience(tenant.url), scope: 'openid profile email offline_access read:current_user' });
      const claims = tokens.claims();
      assert.equal(claims.sub, seeded.john);
      assert.equal(claims.iss, `${tenant.url}/`);
      assert.equal(typeof claims.auth_time, 'number');
      for (const jwt of [tokens.access_token, tokens.id_token]) {
        assert.equal(jwtHeader(jwt).typ, 'JWT');
        assert.ok(!Object.keys(jwtPayload(jwt)).some((k) => k.startsWith('oi_')), 'no oi_* claims');
      }
      assert.deepEqual(jwtPayload(tokens.access_token).aud, [managementAudience(tenant.url), `${tenant.url}/userinfo`]);
    });

    test('refresh: a new access token for the same user; the refresh token does not rotate', async () => {
      const tokens = await signIn(new Browser());
      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
      assert.equal(jwtPayload(refreshed.access_token).sub, seeded.john);
      assert.equal(refreshed.refresh_token, undefined);
    });

    test('userinfo: the profile of the access token\'s user', async () => {
      const tokens = await signIn(new Browser());
      const info = await client.fetchUserInfo(config, tokens.access_token, seeded.john);
      assert.equal(info.email, 'johndoe@gmail.com');
    });

    test('client credentials: a Management API token with gty client-credentials', async () => {
      const tokens = await client.clientCredentialsGrant(config, { audience: managementAudience(tenant.url) });
      const claims = jwtPayload(tokens.access_token);
      assert.equal(claims.gty, 'client-credentials');
      assert.equal(claims.sub, `${web.clientId}@clients`);
    });

    test('prompt=none: login_required without a session (AuthorizationResponseError), a code with one', async () => {
      const browser = new Browser();
      const anonymous = webAuthorize(tenant.url, { prompt: 'none' });
      const refused = await browser.authorize(anonymous.url, null);
      await assert.rejects(
        client.authorizationCodeGrant(config, refused.location, { pkceCodeVerifier: anonymous.verifier, expectedState: anonymous.state }),
        (e) => e instanceof client.AuthorizationResponseError && e.error === 'login_required');

      await signIn(browser);
      const silent = webAuthorize(tenant.url, { prompt: 'none' });
      const back = await browser.authorize(silent.url, null);
      const tokens = await client.authorizationCodeGrant(config, back.location, {
        pkceCodeVerifier: silent.verifier, expectedState: silent.state, expectedNonce: silent.nonce,
      });
      assert.equal(tokens.claims().sub, seeded.john);
    });

    test('logout: /oidc/logout with the ID token hint and /v2/logout with returnTo both end the session', async () => {
      const browser = new Browser();
      const tokens = await signIn(browser);
      const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: web.logoutUrl });
      const out = await browser.get(endSession);
      assert.equal(out.status, 302);
      assert.equal(`${out.location.origin}${out.location.pathname}`, web.logoutUrl);
      const after = await browser.authorize(webAuthorize(tenant.url, { prompt: 'none' }).url, null);
      assert.equal(after.location.searchParams.get('error'), 'login_required');

      await signIn(browser);
      const v2 = await browser.get(`${tenant.url}/v2/logout?client_id=${web.clientId}&returnTo=${encodeURIComponent(web.logoutUrl)}`);
      assert.equal(v2.location.href, web.logoutUrl);
    });

    test('errors: a bad refresh token is 403 invalid_grant "Unknown or invalid refresh token." (ResponseBodyError)', async () => {
      await assert.rejects(client.refreshTokenGrant(config, 'not-a-refresh-token'), (e) =>
        e instanceof client.ResponseBodyError && e.status === 403 && e.error === 'invalid_grant'
        && e.error_description === 'Unknown or invalid refresh token.' && e.cause.error_uri === undefined);
    });

    test('errors: a used code is 403 invalid_grant "Invalid authorization code"', async () => {
      const browser = new Browser();
      const start = webAuthorize(tenant.url);
      const back = await browser.authorize(start.url, { sub: seeded.john });
      const check = { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce };
      await client.authorizationCodeGrant(config, back.location, check);
      await assert.rejects(client.authorizationCodeGrant(config, back.location, check), (e) =>
        e instanceof client.ResponseBodyError && e.status === 403 && e.error === 'invalid_grant' && e.error_description === 'Invalid authorization code');
    });

    test('errors: a wrong client secret is 401 access_denied "Unauthorized", no WWW-Authenticate challenge', async () => {
      const wrong = await client.discovery(new URL(`${tenant.url}/`), web.clientId, 'not-the-secret', undefined, options);
      await assert.rejects(client.clientCredentialsGrant(wrong, { audience: managementAudience(tenant.url) }), (e) =>
        e instanceof client.ResponseBodyError && e.status === 401 && e.error === 'access_denied'
        && e.error_description === 'Unauthorized' && !e.response.headers.has('www-authenticate'));
    });

    test('errors: an unknown API audience is 403 access_denied "Service not found"', async () => {
      await assert.rejects(client.clientCredentialsGrant(config, { audience: 'https://api.example.com/' }), (e) =>
        e instanceof client.ResponseBodyError && e.status === 403 && e.error === 'access_denied' && /Service not found/.test(e.error_description));
    });

    test('errors: userinfo with a machine token is a 401 challenge (WWWAuthenticateChallengeError)', async () => {
      const machine = await client.clientCredentialsGrant(config, { audience: managementAudience(tenant.url) });
      await assert.rejects(client.fetchUserInfo(config, machine.access_token, client.skipSubjectCheck), (e) =>
        e instanceof client.WWWAuthenticateChallengeError && e.status === 401);
    });
  });
}
