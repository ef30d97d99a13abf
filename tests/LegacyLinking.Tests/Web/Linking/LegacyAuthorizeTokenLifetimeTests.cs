using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Tests.Web.Authentication;
using LegacyLinking.Web.Flags;
using Microsoft.AspNetCore.WebUtilities;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>
/// The token the Lock-era flow puts in its <c>/authorize</c> URL lives as long as the API's access tokens and no longer:
/// once it expired, the URL, <c>POST /unlink</c> and <c>/userinfo</c> refuse it (while it lives they accept it, see
/// <see cref="LegacyAuthorizeTruthTests"/>).
/// </summary>
public sealed class LegacyAuthorizeTokenLifetimeTests(ShortLivedTokensStack stack) : IClassFixture<ShortLivedTokensStack>, IAsyncLifetime
{
    public async ValueTask InitializeAsync()
    {
        await stack.Controls.ResetAsync();
        await stack.UseFlowsAsync(LinkFlows.LegacyAuthorize, UnlinkFlows.AccessToken);
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
        await TenantAdmin.LinkAsync(stack, Seeded.John, Seeded.JohnSms);
    }

    public async ValueTask DisposeAsync() => await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);

    [Fact]
    public async Task Once_the_URL_token_expired_the_URL_POST_unlink_and_userinfo_refuse_it()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var authorize = await john.StartLinkAsync();
        var token = QueryHelpers.ParseQuery(authorize.Query)["access_token"].Single()!;
        var claims = Jwt.Parse(token);
        var lifetime = long.Parse(claims.Claim("exp")!) - long.Parse(claims.Claim("iat")!);
        Assert.Equal((long)ShortLivedTokensStack.Lifetime.TotalSeconds, lifetime); // the API's lifetime, nothing longer

        await Task.Delay(ShortLivedTokensStack.Lifetime + TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);

        using var http = new HttpClient { BaseAddress = new Uri(stack.Url) };
        var unlink = await http.PostAsJsonAsync("/unlink", new { access_token = token, user_id = Seeded.JohnSms });
        Assert.Equal(HttpStatusCode.Unauthorized, unlink.StatusCode);
        using var userinfo = new HttpRequestMessage(HttpMethod.Get, "/userinfo");
        userinfo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(userinfo)).StatusCode);

        // Whoever opens the URL now (another browser) is sent back with an error before any login: nothing links.
        var opened = await stack.NewBrowser().Tenant.OpenAsync(authorize);
        Assert.Equal("invalid_request", opened.Error);
        Assert.Equal([Seeded.John, Seeded.JohnSms], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
    }
}
