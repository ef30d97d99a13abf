namespace LegacyLinking.Tests.Infrastructure;

/// <summary>Real tokens from the real tenant for the seeded users, obtained the way an app obtains them.</summary>
public static class TenantTokens
{
    public const string UserScopes = "openid profile email offline_access read:current_user update:current_user_identities update:current_user_metadata";

    /// <summary>Signs in as <paramref name="sub"/> ("continue as") and redeems the code with the Management API audience.</summary>
    public static async Task<TokenResponse> ForSocialUserAsync(LocalTenantFixture tenant, string sub)
    {
        var request = new AuthorizeRequest { Tenant = tenant.Url, Audience = tenant.ManagementAudience, Scope = UserScopes };
        var step = await tenant.CreateDriver().ContinueAsAsync(request.ToUri(), sub);
        return await RedeemAsync(tenant, request, step);
    }

    /// <summary>Signs in with the sms connection (phone, shown code) and redeems the code.</summary>
    public static async Task<TokenResponse> ForSmsUserAsync(LocalTenantFixture tenant, string phone)
    {
        var request = new AuthorizeRequest { Tenant = tenant.Url, Connection = "sms", Scope = "openid profile email" };
        var step = await tenant.CreateDriver().LoginWithSmsAsync(request.ToUri(), phone);
        return await RedeemAsync(tenant, request, step);
    }

    /// <summary>The app's client-credentials token: the scopes the app uses, no more.</summary>
    public static Task<string> ClientCredentialsAsync(LocalTenantFixture tenant) =>
        ClientCredentialsAsync(tenant, LocalTenantFixture.ClientId, LocalTenantFixture.ClientSecret);

    /// <summary>The tests' admin client's token, for set-up the app itself may not do (users, tenant flags).</summary>
    public static Task<string> AdminTokenAsync(LocalTenantFixture tenant) =>
        ClientCredentialsAsync(tenant, LocalTenantFixture.AdminClientId, LocalTenantFixture.AdminClientSecret);

    private static async Task<string> ClientCredentialsAsync(LocalTenantFixture tenant, string clientId, string clientSecret)
    {
        var response = await tenant.CreateTokenClient().ClientCredentialsAsync(tenant.ManagementAudience, clientId, clientSecret);
        return response.AccessToken ?? throw new InvalidOperationException($"No client-credentials token: {response}");
    }

    private static async Task<TokenResponse> RedeemAsync(LocalTenantFixture tenant, AuthorizeRequest request, TenantStep step)
    {
        if (step.Code is null) throw new InvalidOperationException($"Expected a code, got {step}");
        var tokens = await tenant.CreateTokenClient().RedeemCodeAsync(step.Code, request);
        return tokens.AccessToken is null ? throw new InvalidOperationException($"Expected tokens, got {tokens}") : tokens;
    }
}
