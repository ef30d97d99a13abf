using System.Text.Json;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant;

/// <summary>One browser plus the app's back channel against a tenant fixture: the usual sign-in-and-redeem steps.</summary>
public sealed class TenantSession(LocalTenantFixture tenant)
{
    public HttpClient Browser { get; } = tenant.CreateClient();
    public TenantLoginDriver Driver => new(Browser, new Uri(tenant.Url));
    public TenantTokenClient Tokens { get; } = tenant.CreateTokenClient();

    /// <summary>GETs a JSON document from the tenant.</summary>
    public async Task<JsonElement> GetJsonAsync(string path) =>
        JsonDocument.Parse(await Browser.GetStringAsync(path, TestContext.Current.CancellationToken)).RootElement.Clone();

    public AuthorizeRequest Request(Func<AuthorizeRequest, AuthorizeRequest>? customize = null)
    {
        var request = new AuthorizeRequest { Tenant = tenant.Url };
        return customize is null ? request : customize(request);
    }

    /// <summary>Signs in with "continue as" and returns the authorization response (not yet redeemed).</summary>
    public async Task<TenantStep> ContinueAsAsync(AuthorizeRequest request, string sub)
    {
        var step = await Driver.ContinueAsAsync(request.ToUri(), sub);
        Assert.True(step.Code is not null, $"expected a code, got {step}");
        return step;
    }

    /// <summary>Signs in with "continue as" and redeems the code; the token response must be a success.</summary>
    public async Task<TokenResponse> ContinueAsAndRedeemAsync(AuthorizeRequest request, string sub) =>
        await RedeemAsync(request, await ContinueAsAsync(request, sub));

    public async Task<TokenResponse> RedeemAsync(AuthorizeRequest request, TenantStep step)
    {
        var tokens = await Tokens.RedeemCodeAsync(step.Code!, request);
        Assert.True(tokens.AccessToken is not null, $"expected tokens, got {tokens}");
        return tokens;
    }
}
