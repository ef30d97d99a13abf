// Auth0's Node SDK (npm auth0 7: the Fern-generated ManagementClient, and its bundled v4 API as auth0/legacy) against
// every Management API route the tenant serves, over https (the SDK builds https://{domain}), with user-scoped and
// server tokens, and every error status the SDK turns into a typed error.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ManagementClient, Management, ManagementError } from 'auth0';
import * as legacy from 'auth0/legacy';
import { httpsTenant, web, admin, seeded, domainOf, serverToken, userTokens, controls, random } from '../lib/tenant.mjs';

const url = httpsTenant.url;
const domain = domainOf(url);
const splitId = (id) => { const at = id.indexOf('|'); return [id.slice(0, at), id.slice(at + 1)]; };

describe('auth0 ManagementClient (v7) over https', () => {
  let server;
  let app;
  before(() => {
    // Client credentials through the SDK's own token provider, as an app configures it: the tests' admin client for
    // every route, and the app's own client (read:users update:users read:logs) where the app's shape matters.
    server = new ManagementClient({ domain, clientId: admin.clientId, clientSecret: admin.clientSecret, retry: { enabled: false } });
    app = new ManagementClient({ domain, clientId: web.clientId, clientSecret: web.clientSecret, retry: { enabled: false } });
  });

  async function newDatabaseUser() {
    const email = `sdk-${random().toLowerCase()}@example.com`;
    const user = await server.users.create({ connection: 'Username-Password-Authentication', email, password: 'Sdk-Passw0rd!', email_verified: true });
    return { ...user, email };
  }

  test('users: create, get, patch (metadata merged one level deep), delete', async () => {
    const created = await newDatabaseUser();
    assert.match(created.user_id, /^auth0\|/);
    assert.equal((await server.users.get(created.user_id)).email, created.email);

    await server.users.update(created.user_id, { user_metadata: { a: 1, nested: { x: 1 } } });
    const patched = await server.users.update(created.user_id, { user_metadata: { b: 2, nested: { y: 2 } } });
    assert.deepEqual(patched.user_metadata, { a: 1, b: 2, nested: { y: 2 } });

    await server.users.delete(created.user_id);
    await assert.rejects(server.users.get(created.user_id), (e) => e instanceof Management.NotFoundError && e.statusCode === 404);
  });

  test('users-by-email: a plain array of the users with that email', async () => {
    const users = await server.users.listUsersByEmail({ email: seeded.adaEmail });
    assert.ok(Array.isArray(users));
    assert.ok(users.some((u) => u.user_id === seeded.ada));
  });

  test('search (search_engine=v3): q with Lucene syntax, totals', async () => {
    const page = await server.users.list({ q: `email:"${seeded.adaEmail}"`, search_engine: 'v3', include_totals: true });
    assert.ok(page.data.some((u) => u.user_id === seeded.ada));
  });

  test('identities: link with {provider, user_id} (201, the identities), unlink (200, the rest)', async () => {
    const secondary = await newDatabaseUser();
    const [provider, id] = splitId(secondary.user_id);
    const linked = await server.users.identities.link(seeded.ada, { provider, user_id: id });
    assert.ok(linked.some((i) => i.user_id === id));
    const rest = await server.users.identities.delete(seeded.ada, provider, id);
    assert.ok(!rest.some((i) => i.user_id === id));
  });

  test('identities: link with {link_with: ID token} using the app\'s update:users token', async () => {
    // link_with must be an ID token for the bearer's own application (its aud = the token's azp): the app's.
    const secondary = await userTokens(url, { sub: seeded.adaGithub });
    const [provider, id] = splitId(seeded.adaGithub);
    const linked = await app.users.identities.link(seeded.ada, { link_with: secondary.id_token });
    assert.ok(linked.some((i) => i.provider === provider && String(i.user_id) === id));
    await app.users.identities.delete(seeded.ada, provider, id);
  });

  test('the app\'s own client may not create users nor touch tenant settings: 403 insufficient_scope', async () => {
    await assert.rejects(app.users.create({ connection: 'Username-Password-Authentication', email: `sdk-${random().toLowerCase()}@example.com`, password: 'Sdk-Passw0rd!' }),
      (e) => e instanceof Management.ForbiddenError && e.body.errorCode === 'insufficient_scope'
        && e.body.message === 'Insufficient scope, expected any of: create:users');
    await assert.rejects(app.tenants.settings.get(),
      (e) => e instanceof Management.ForbiddenError && e.body.errorCode === 'insufficient_scope');
  });

  test('user-scoped token: update:current_user_identities links its own user with link_with, and nobody else', async () => {
    const primary = await userTokens(url, { audience: `${url}/api/v2/`, scope: 'openid read:current_user update:current_user_identities' });
    const mine = new ManagementClient({ domain, token: primary.access_token });
    const secondary = await userTokens(url, { sub: seeded.adaFacebook });
    const [provider, id] = splitId(seeded.adaFacebook);
    const linked = await mine.users.identities.link(seeded.john, { link_with: secondary.id_token });
    assert.ok(linked.some((i) => i.provider === provider));
    assert.equal((await mine.users.get(seeded.john)).user_id, seeded.john);
    await assert.rejects(mine.users.get(seeded.ada), (e) => e instanceof Management.ForbiddenError && e.statusCode === 403
      && e.body.errorCode === 'unowned_resource');
    await mine.users.identities.delete(seeded.john, provider, id);
  });

  test('tenant settings: read, and a patch of a flag comes back', async () => {
    const before = await server.tenants.settings.get();
    assert.equal(typeof before.flags.enable_idtoken_api2, 'boolean');
    const after = await server.tenants.settings.update({ flags: { enable_idtoken_api2: before.flags.enable_idtoken_api2 } });
    assert.equal(after.flags.enable_idtoken_api2, before.flags.enable_idtoken_api2);
  });

  test('tenant settings: settings the tenant does not act on are stored and returned (as Auth0 does)', async () => {
    const name = `Conformance ${random()}`;
    await server.tenants.settings.update({ friendly_name: name, session_lifetime: 72 });
    const settings = await server.tenants.settings.get();
    assert.equal(settings.friendly_name, name);
    assert.equal(settings.session_lifetime, 72);
  });

  // The SDK's list() has no q (its OpenAPI names an older `search` parameter) nor from/take; Auth0's log guides use q
  // and checkpoints, so they go through the SDK's own way of sending another parameter, or plain fetch.
  test('logs by search: q, page, per_page, sort (newest first), through the SDK\'s pager', async () => {
    const page = await server.logs.list({ page: 0, per_page: 5, sort: 'date:-1' }, { queryParams: { q: 'type:sapi' } });
    assert.ok(Array.isArray(page.data));
    assert.ok(page.data.length > 0 && page.data.length <= 5);
    assert.ok(page.data.every((log) => log.type === 'sapi'));
    const dates = page.data.map((log) => log.date);
    assert.deepEqual(dates, [...dates].sort().reverse());
  });

  test('logs: one event by its log_id, and a user\'s events', async () => {
    const [newest] = (await server.logs.list({ per_page: 1, sort: 'date:-1' })).data;
    const one = await server.logs.get(newest.log_id);
    assert.equal(one.log_id, newest.log_id);
    await assert.rejects(server.logs.get('90020000000000000000000000000000000000000000000000000000'),
      (e) => e instanceof Management.NotFoundError && e.statusCode === 404);
    const user = await newDatabaseUser();
    await server.users.update(user.user_id, { user_metadata: { logged: true } });
    const mine = await server.users.logs.list(user.user_id, { per_page: 10 });
    assert.ok(mine.data.length > 0 && mine.data.every((log) => log.user_id === user.user_id));
    await server.users.delete(user.user_id);
  });

  test('logs by checkpoint: from + take ignore q, go by log_id, and lead on through Link rel=next', async () => {
    const token = await serverToken(url);
    const get = (path) => fetch(path.startsWith('http') ? path : `${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const first = await get('/api/v2/logs?take=2').then((r) => r.json());
    assert.ok(first.length > 0);
    const from = first[0].log_id;
    const next = await get(`/api/v2/logs?from=${from}&take=5&q=type:nothing-matches-this`);
    const events = await next.json();
    assert.ok(events.length > 0, 'q is ignored with from/take');
    assert.deepEqual(events.map((e) => e.log_id), [...events.map((e) => e.log_id)].sort());
    assert.ok(events.every((e) => e.log_id > from));
    const link = /<([^>]+)>;\s*rel="next"/.exec(next.headers.get('link') ?? '');
    assert.ok(link, 'a Link header with rel="next"');
    const following = await get(link[1]).then((r) => r.json());
    assert.ok(following.every((e) => e.log_id > events.at(-1).log_id));
  });

  describe('errors the SDK maps to typed errors', () => {
    test('400 BadRequestError: both link body forms at once', async () => {
      await assert.rejects(server.users.identities.link(seeded.ada, { provider: 'github', user_id: '1', link_with: 'x.y.z' }),
        (e) => e instanceof Management.BadRequestError && e.statusCode === 400 && e instanceof ManagementError);
    });

    test('401 UnauthorizedError: a token that is not the tenant\'s', async () => {
      const stranger = new ManagementClient({ domain, token: 'not.a.token' });
      await assert.rejects(stranger.users.get(seeded.ada), (e) => e instanceof Management.UnauthorizedError && e.statusCode === 401);
    });

    test('403 ForbiddenError: insufficient scope', async () => {
      const narrow = new ManagementClient({ domain, token: await serverToken(url, 'read:logs') });
      await assert.rejects(narrow.users.get(seeded.ada), (e) => e instanceof Management.ForbiddenError && /Insufficient scope/.test(e.body.message));
    });

    test('404 NotFoundError: an unknown user, with errorCode inexistent_user', async () => {
      await assert.rejects(server.users.get('auth0|000000000000000000000000'),
        (e) => e instanceof Management.NotFoundError && e.body.errorCode === 'inexistent_user');
    });

    test('409 ConflictError: a user that exists already', async () => {
      const user = await newDatabaseUser();
      await assert.rejects(server.users.create({ connection: 'Username-Password-Authentication', email: user.email, password: 'Sdk-Passw0rd!' }),
        (e) => e instanceof Management.ConflictError && e.statusCode === 409);
      await server.users.delete(user.user_id);
    });

    test('429 TooManyRequestsError: the tenant\'s rate limit, with x-ratelimit-* headers', async () => {
      await controls(url, 'POST', 'rate-limit', { enabled: true, burstSize: 1, tokensPerSecond: 0.01 });
      try {
        const client = new ManagementClient({ domain, token: await serverToken(url), maxRetries: 0 });
        await client.users.get(seeded.ada).catch(() => {});
        await assert.rejects(client.users.get(seeded.ada), (e) => e instanceof Management.TooManyRequestsError && e.statusCode === 429
          && e.rawResponse.headers.get('x-ratelimit-limit') === '1');
      } finally {
        await controls(url, 'POST', 'reset');
      }
    });
  });
});

describe('auth0/legacy (v4 API) over https', () => {
  test('ManagementClient: get a user, link with link_with, unlink; ManagementApiError carries statusCode and errorCode', async () => {
    const management = new legacy.ManagementClient({ domain, clientId: web.clientId, clientSecret: web.clientSecret });
    const { data: ada } = await management.users.get({ id: seeded.ada });
    assert.equal(ada.user_id, seeded.ada);
    const secondary = await userTokens(url, { sub: seeded.adaFacebook });
    const { data: linked } = await management.users.link({ id: seeded.ada }, { link_with: secondary.id_token });
    assert.ok(linked.some((i) => i.provider === 'facebook'));
    await management.users.unlink({ id: seeded.ada, provider: 'facebook', user_id: splitId(seeded.adaFacebook)[1] });
    await assert.rejects(management.users.get({ id: 'auth0|000000000000000000000000' }),
      (e) => e instanceof legacy.ManagementApiError && e.statusCode === 404 && e.errorCode === 'inexistent_user');
  });

  test('AuthenticationClient: refresh and client-credentials errors are AuthApiError with Auth0\'s status and text', async () => {
    const auth = new legacy.AuthenticationClient({ domain, clientId: web.clientId, clientSecret: web.clientSecret });
    await assert.rejects(auth.oauth.refreshTokenGrant({ refresh_token: 'not-a-refresh-token' }), (e) =>
      e instanceof legacy.AuthApiError && e.statusCode === 403 && e.error === 'invalid_grant' && e.error_description === 'Unknown or invalid refresh token.');
    const wrong = new legacy.AuthenticationClient({ domain, clientId: web.clientId, clientSecret: 'not-the-secret' });
    await assert.rejects(wrong.oauth.clientCredentialsGrant({ audience: `${url}/api/v2/` }), (e) =>
      e instanceof legacy.AuthApiError && e.statusCode === 401 && e.error === 'access_denied' && e.error_description === 'Unauthorized');
  });
});
