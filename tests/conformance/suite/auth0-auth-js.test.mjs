// @auth0/auth0-auth-js (Auth0's current authentication client) against the tenant over https: the authorization URL
// it builds, the code exchange with PKCE, refresh, client credentials, logout URL, and its typed token errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthClient, TokenByRefreshTokenError, TokenByClientCredentialsError, TokenByCodeError } from '@auth0/auth0-auth-js';
import { httpsTenant, web, seeded, domainOf, Browser, jwtPayload } from '../lib/tenant.mjs';

const url = httpsTenant.url;
const domain = domainOf(url);
const auth = new AuthClient({ domain, clientId: web.clientId, clientSecret: web.clientSecret });

describe('@auth0/auth0-auth-js over https', () => {
  async function signIn() {
    const { authorizationUrl, codeVerifier } = await auth.buildAuthorizationUrl({
      authorizationParams: { redirect_uri: web.redirectUri, scope: 'openid profile email offline_access', audience: `${url}/api/v2/` },
    });
    const back = await new Browser().authorize(authorizationUrl, { sub: seeded.john });
    return { tokens: await auth.getTokenByCode(back.location, { codeVerifier }), back, codeVerifier };
  }

  test('code + PKCE: the SDK builds the URL, redeems the code and validates the ID token', async () => {
    const { tokens } = await signIn();
    assert.equal(tokens.claims.sub, seeded.john);
    assert.equal(jwtPayload(tokens.accessToken).azp, web.clientId);
    assert.ok(tokens.refreshToken);
  });

  test('refresh and client credentials', async () => {
    const { tokens } = await signIn();
    const refreshed = await auth.getTokenByRefreshToken({ refreshToken: tokens.refreshToken });
    assert.equal(jwtPayload(refreshed.accessToken).sub, seeded.john);
    const machine = await auth.getTokenByClientCredentials({ audience: `${url}/api/v2/` });
    assert.equal(jwtPayload(machine.accessToken).gty, 'client-credentials');
  });

  test('logout URL: /v2/logout with client_id and returnTo, which the tenant honours', async () => {
    const logout = await auth.buildLogoutUrl({ returnTo: web.logoutUrl });
    assert.equal(logout.pathname, '/v2/logout');
    const answer = await new Browser().get(logout);
    assert.equal(answer.location.href, web.logoutUrl);
  });

  test('TokenByRefreshTokenError: 403 invalid_grant "Unknown or invalid refresh token."', async () => {
    await assert.rejects(auth.getTokenByRefreshToken({ refreshToken: 'not-a-refresh-token' }), (e) =>
      e instanceof TokenByRefreshTokenError && e.cause?.error === 'invalid_grant'
      && e.cause?.error_description === 'Unknown or invalid refresh token.' && (e.statusCode ?? 403) === 403);
  });

  test('TokenByClientCredentialsError: a wrong secret is 401 access_denied "Unauthorized"', async () => {
    const wrong = new AuthClient({ domain, clientId: web.clientId, clientSecret: 'not-the-secret' });
    await assert.rejects(wrong.getTokenByClientCredentials({ audience: `${url}/api/v2/` }), (e) =>
      e instanceof TokenByClientCredentialsError && e.cause?.error === 'access_denied' && e.cause?.error_description === 'Unauthorized');
  });

  test('TokenByCodeError: a code redeemed twice is invalid_grant "Invalid authorization code"', async () => {
    const { back, codeVerifier } = await signIn();
    await assert.rejects(auth.getTokenByCode(back.location, { codeVerifier }), (e) =>
      e instanceof TokenByCodeError && e.cause?.error === 'invalid_grant' && e.cause?.error_description === 'Invalid authorization code');
  });
});
