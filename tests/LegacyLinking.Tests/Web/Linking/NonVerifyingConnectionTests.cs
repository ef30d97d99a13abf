using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>
/// Pre-hijacking through a non-verifying IdP (catalogue 38): an <c>evil-oidc</c> connection reports
/// <c>email_verified: true</c> for an email it never checked. Listed in <c>Linking:UntrustedEmailConnections</c>, its
/// users get no suggestions and are offered to nobody, whoever signs up with that email later; the same email on a
/// trusted connection (github) is still suggested.
/// </summary>
public sealed class NonVerifyingConnectionTests(NonVerifyingConnectionTests.Stack stack) : IClassFixture<NonVerifyingConnectionTests.Stack>
{
    public const string Attacker = "oidc|evil-oidc|A";
    public const string Email = "v@x.test";
    public const string VictimPassword = "Victim-Passw0rd!";

    /// <summary>The tenant gains an <c>evil-oidc</c> connection with the attacker's user and a verified database user of the same email.</summary>
    public sealed class Stack : AppStackWithTestControls
    {
        protected override IEnumerable<KeyValuePair<string, string?>> TenantSettings =>
        [
            .. base.TenantSettings,
            new("LocalTenant:Connections:5:Id", "con_E7vI2lOi5Dc9Nx3Q"),
            new("LocalTenant:Connections:5:Name", "evil-oidc"),
            new("LocalTenant:Connections:5:Strategy", "oidc"),
            new("LocalTenant:Seed:Users:6:UserId", Attacker),
            new("LocalTenant:Seed:Users:6:Connection", "evil-oidc"),
            new("LocalTenant:Seed:Users:6:Email", Email),
            new("LocalTenant:Seed:Users:6:EmailVerified", "true"),
            new("LocalTenant:Seed:Users:6:Name", "Not V"),
            new("LocalTenant:Seed:Users:7:UserId", "auth0|5f7c8ec7c33c6c004bbafe99"),
            new("LocalTenant:Seed:Users:7:Email", Email),
            new("LocalTenant:Seed:Users:7:EmailVerified", "true"),
            new("LocalTenant:Seed:Users:7:Name", "V"),
            new("LocalTenant:Seed:Users:7:Password", VictimPassword),
            // A trusted account of the same email: the positive control that suggestions are on at all.
            new("LocalTenant:Seed:Users:8:UserId", "github|7654321"),
            new("LocalTenant:Seed:Users:8:Email", Email),
            new("LocalTenant:Seed:Users:8:EmailVerified", "true"),
            new("LocalTenant:Seed:Users:8:Name", "V on GitHub"),
        ];

        protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
            [.. base.AppSettings, new("Linking:UntrustedEmailConnections:0", "evil-oidc")];
    }

    [Fact]
    public async Task A_non_verifying_connection_s_account_is_never_suggested_nor_given_suggestions()
    {
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        var attacker = stack.NewBrowser();
        Assert.Equal(HttpStatusCode.OK, (await attacker.SignInAsync((d, s) => d.ContinueAsAsync(s, Attacker))).StatusCode);
        var victim = stack.NewBrowser();
        Assert.Equal(HttpStatusCode.OK, (await victim.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Email, VictimPassword))).StatusCode);

        Assert.NotNull(await victim.SuggestionAsync("github"));
        Assert.Null(await victim.SuggestionAsync("evil-oidc"));
        Assert.Null(await attacker.SuggestionAsync("Username-Password-Authentication"));
        var (_, page) = await attacker.GetPageAsync("/Profile");
        Assert.Equal(Attacker, page.QuerySelector("[data-test='profile-user-id']")?.TextContent); // still the attacker's own session
        Assert.DoesNotContain(await stack.CallsAsync("/api/v2/users", "POST"), c => c.ToString().Contains("/identities"));
        Assert.Equal([Attacker], await TenantAdmin.IdentitiesOfAsync(stack, Attacker));
    }
}
