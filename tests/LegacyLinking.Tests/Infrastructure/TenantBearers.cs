namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// Real tokens from the tenant, obtained as an application obtains them: a login in a fresh "browser" (its own cookie
/// jar, so sessions never leak between calls) and the code redeemed at <c>/oauth/token</c>; or client credentials.
/// <code>
/// var bearers = new TenantBearers(tenant);
/// var john = await bearers.SignInAsync(Seeded.John);             // access token for /api/v2/ + ID token
/// var sms = await bearers.SignInWithSmsAsync(Seeded.JohnSmsPhone);         // e.g. a secondary's ID token for link_with
/// var server = await bearers.ClientCredentialsAsync("read:users");     // M2M token limited to one scope
/// </code>
/// </summary>
public sealed class TenantBearers(LocalTenantFixture tenant)
{
    /// <summary>What a linking SPA asks for: the profile plus every current_user scope of the Management API.</summary>
    public const string UserScopes =
        "openid profile email phone read:current_user update:current_user_identities update:current_user_metadata";

    /// <summary>"Continue as" a seeded social identity (<c>provider|id</c>).</summary>
    public Task<UserTokens> SignInAsync(string sub, string scope = UserScopes, bool managementAudience = true, string? clientId = null) =>
        SignInAsync(request => tenant.CreateDriver(tenant.CreateClient()).ContinueAsAsync(request.ToUri(), sub), scope, managementAudience, null, clientId);

    /// <summary>The sms connection: phone, the code the tenant shows, done.</summary>
    public Task<UserTokens> SignInWithSmsAsync(string phone, string scope = UserScopes, bool managementAudience = true) =>
        SignInAsync(request => tenant.CreateDriver(tenant.CreateClient()).LoginWithSmsAsync(request.ToUri(), phone), scope, managementAudience, "sms");

    public Task<UserTokens> SignInWithPasswordAsync(string email, string password, string scope = UserScopes, bool managementAudience = true) =>
        SignInAsync(
            request => tenant.CreateDriver(tenant.CreateClient()).LoginWithPasswordAsync(request.ToUri(), email, password),
            scope, managementAudience, TenantLoginDriver.DatabaseConnection);

    /// <summary>
    /// A client-credentials access token for the Management API (all the client's granted scopes unless
    /// <paramref name="scope"/>); by default the app's client, which holds only the scopes the app uses.
    /// </summary>
    public async Task<string> ClientCredentialsAsync(string? scope = null, string clientId = LocalTenantFixture.ClientId,
        string clientSecret = LocalTenantFixture.ClientSecret)
    {
        var response = await tenant.CreateTokenClient().ClientCredentialsAsync(tenant.ManagementAudience, clientId, clientSecret, scope);
        return response.AccessToken ?? throw new InvalidOperationException($"No client-credentials token: {response}");
    }

    /// <summary>A client-credentials token of the tests' admin client, for set-up only the tenant's admin may do.</summary>
    public Task<string> AdminTokenAsync(string? scope = null) =>
        ClientCredentialsAsync(scope, LocalTenantFixture.AdminClientId, LocalTenantFixture.AdminClientSecret);

    private async Task<UserTokens> SignInAsync(
        Func<AuthorizeRequest, Task<TenantStep>> login, string scope, bool managementAudience, string? connection, string? clientId = null)
    {
        var request = new AuthorizeRequest
        {
            Tenant = tenant.Url,
            ClientId = clientId ?? LocalTenantFixture.ClientId,
            Scope = scope,
            Audience = managementAudience ? tenant.ManagementAudience : null,
            Connection = connection,
        };
        var step = await login(request);
        if (step.Code is null) throw new InvalidOperationException($"Expected a code, got {step}");
        var tokens = await tenant.CreateTokenClient().RedeemCodeAsync(step.Code, request);
        return new UserTokens(
            tokens.AccessToken ?? throw new InvalidOperationException($"Expected tokens, got {tokens}"),
            tokens.IdToken ?? throw new InvalidOperationException($"Expected an ID token, got {tokens}"));
    }
}

/// <summary>A user's tokens; <see cref="Sub"/> is read from the ID token (the primary user's id after linking).</summary>
public sealed record UserTokens(string AccessToken, string IdToken)
{
    public string Sub => Jwt.Parse(IdToken).Claim("sub")!;
}
