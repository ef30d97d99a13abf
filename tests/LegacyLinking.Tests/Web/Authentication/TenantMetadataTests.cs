using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Authentication;

/// <summary>
/// What the app trusts in the tenant's metadata, on an app instance that reads it fresh while the tenant's test controls
/// change it: a discovery document naming another issuer is refused (catalogue 19), and with several keys published an
/// ID token without a <c>kid</c> is verified against them or refused, never accepted unverified (catalogue 11), on both
/// callbacks.
/// </summary>
public sealed class TenantMetadataTests(AppStackWithTestControls stack) : IClassFixture<AppStackWithTestControls>, IAsyncLifetime
{
    private const string SmsId = "560ebaeef609ee1adaa7c551";

    public async ValueTask InitializeAsync() => await stack.Controls.ResetAsync();

    public async ValueTask DisposeAsync()
    {
        await stack.Controls.ResetAsync();
        await TenantAdmin.EnsureUnlinkedAsync(stack, Seeded.John, Seeded.JohnSms);
    }

    [Fact]
    public async Task A_discovery_document_naming_another_issuer_is_refused_and_nobody_signs_in()
    {
        await stack.Controls.SetMetadataMutationAsync("isso");
        // The tokens would name the issuer the document claims: a client that took the document's word would accept them.
        await stack.Controls.MutateNextIdTokenAsync("iss", count: 3);
        await using var instance = await stack.StartSecondInstanceAsync();
        var browser = stack.NewBrowser(instance);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var login = await browser.Http.GetAsync("/Account/Login?returnUrl=%2FProfile", TestContext.Current.CancellationToken);
            Assert.False(TestBrowser.RedirectTarget(login) is { } target && TestBrowser.SameOrigin(target, new Uri(stack.Url)),
                $"the app sent the browser to the tenant ({login.StatusCode})");
            Assert.True((int)login.StatusCode is >= 400 and < 500 or 503, $"an outage answer, not {(int)login.StatusCode}");
        }
        Assert.DoesNotContain(browser.Cookies.GetAllCookies(), c => c.Name == "ll_app_session");
        Assert.DoesNotContain(await stack.CallsAsync("/oauth/token", "POST"),
            c => c.GetProperty("grantType").GetString() == "authorization_code");
    }

    [Fact]
    public async Task A_refetch_that_finds_another_issuer_keeps_the_metadata_the_app_had()
    {
        await using var instance = await stack.StartSecondInstanceAsync();
        await AppStackFixture.WaitUntilSignInStartsAsync(instance.Url);
        Assert.Equal(HttpStatusCode.OK, (await stack.NewBrowser(instance).SignInAsJohnAsync()).StatusCode);

        await stack.Controls.SetMetadataMutationAsync("isso");
        // An unknown key makes the app fetch the metadata again: it now names another issuer, and is refused.
        await stack.Controls.MutateNextIdTokenAsync("kid");
        Assert.Equal(HttpStatusCode.BadRequest, (await stack.NewBrowser(instance).SignInAsJohnAsync()).StatusCode);
        Assert.NotEmpty(await stack.CallsAsync("/.well-known/openid-configuration", "GET"));

        // Had the app taken it, a token of that issuer would now sign in.
        await stack.Controls.MutateNextIdTokenAsync("iss");
        var foreign = stack.NewBrowser(instance);
        Assert.Equal(HttpStatusCode.BadRequest, (await foreign.SignInAsJohnAsync()).StatusCode);
        Assert.DoesNotContain(foreign.Cookies.GetAllCookies(), c => c.Name == "ll_app_session");
        Assert.Equal(HttpStatusCode.OK, (await stack.NewBrowser(instance).SignInAsJohnAsync()).StatusCode); // the metadata it had still serves
    }

    [Fact]
    public async Task With_several_keys_published_an_id_token_without_kid_is_verified_or_refused_on_both_callbacks()
    {
        await stack.Controls.SetMetadataMutationAsync("jwks-extra-key");
        await using var instance = await stack.StartSecondInstanceAsync();
        await AppStackFixture.WaitUntilSignInStartsAsync(instance.Url); // it has read the two-key set
        Assert.NotEmpty(await stack.CallsAsync("/.well-known/jwks.json", "GET"));
        var qa = stack.NewBrowser(instance);
        await qa.SignInAsQaAsync();
        await qa.SetFlagAsync("LinkFlow", LinkFlows.AccessToken);

        // Signed by the tenant's key, no kid: trying every published key finds it; refusing it is allowed too.
        await stack.Controls.MutateNextIdTokenAsync("kid-missing");
        var john = stack.NewBrowser(instance);
        var signedIn = await john.SignInAsJohnAsync();
        Assert.True(signedIn.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, signedIn.StatusCode.ToString());
        if (signedIn.StatusCode == HttpStatusCode.OK)
            Assert.Equal(Seeded.John, HtmlForm.Parse(await signedIn.Content.ReadAsStringAsync())
                .QuerySelector("[data-test='profile-user-id']")?.TextContent);
        else
            Assert.DoesNotContain(john.Cookies.GetAllCookies(), c => c.Name == "ll_app_session");

        // No kid and no published key verifies it: the signature is checked, not skipped.
        await stack.Controls.MutateNextIdTokenAsync("kid-missing-stranger");
        var stranger = stack.NewBrowser(instance);
        Assert.Equal(HttpStatusCode.BadRequest, (await stranger.SignInAsJohnAsync()).StatusCode);
        Assert.DoesNotContain(stranger.Cookies.GetAllCookies(), c => c.Name == "ll_app_session");

        var linker = stack.NewBrowser(instance);
        Assert.Equal(HttpStatusCode.OK, (await linker.SignInAsJohnAsync()).StatusCode);
        await stack.Controls.MutateNextIdTokenAsync("kid-missing-stranger");
        var refused = await linker.LinkSmsAsync();
        Assert.StartsWith("Error:", refused.Status);
        Assert.Equal([Seeded.John], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.John));
        Assert.DoesNotContain(await stack.CallsAsync("/api/v2/users", "POST"), c => c.ToString().Contains("/identities"));

        await stack.Controls.MutateNextIdTokenAsync("kid-missing");
        var linked = await linker.LinkSmsAsync();
        Assert.True(linked.HasIdentity("sms", SmsId) || linked.Status?.StartsWith("Error:") == true, linked.Status);
    }
}
