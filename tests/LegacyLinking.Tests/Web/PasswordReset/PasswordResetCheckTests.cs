using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.PasswordReset;

/// <summary>An app whose sessions ask the tenant about password resets every 3 s (tenant test controls on, to count the asks).</summary>
public sealed class QuickPasswordResetCheck : AppStackWithTestControls
{
    public const int Seconds = 3;
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings => [new("Sessions:PasswordResetCheckSeconds", Seconds.ToString())];
}

/// <summary>
/// A password reset is answered on every authenticated request, not only on the profile page: a session from before it
/// is refused on the migration page, its export and the QA console, and the tenant is asked at most once per interval.
/// </summary>
public sealed class PasswordResetCheckTests(QuickPasswordResetCheck stack) : IClassFixture<QuickPasswordResetCheck>
{
    private const string NewPassword = "Qa-Reset-Passw0rd!";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan PastTheInterval = TimeSpan.FromSeconds(QuickPasswordResetCheck.Seconds + 0.5);

    [Fact]
    public async Task A_session_from_before_a_reset_is_refused_on_the_migration_page_the_export_and_the_qa_console()
    {
        var migration = stack.NewBrowser();
        await migration.SignInAsQaAsync();
        var export = stack.NewBrowser();
        await export.SignInAsQaAsync();
        var console = stack.NewBrowser();
        await console.SignInAsQaAsync();
        var (_, flags) = await console.GetPageAsync("/Qa/Flags");
        Assert.Equal(HttpStatusCode.OK, (await migration.Http.GetAsync("/Migration", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await export.Http.GetAsync("/Migration?handler=Export&format=csv", Ct)).StatusCode);

        await TenantAdmin.PatchUserAsync(stack, Seeded.Qa, new { password = NewPassword, connection = "Username-Password-Authentication" });
        try
        {
            await Task.Delay(PastTheInterval, Ct);
            await AssertSentToFreshLoginAsync(await migration.Http.GetAsync("/Migration", Ct));
            await AssertSentToFreshLoginAsync(await export.Http.GetAsync("/Migration?handler=Export&format=csv", Ct));
            await AssertSentToFreshLoginAsync(await console.ClickAsync(flags, "/Qa/Flags", "apply-global-ShadowCheck", form => form.Set("value", "on")));
            await using (var db = await stack.App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct))
                Assert.False(await db.FlagOverrides.AnyAsync(o => o.Flag == "ShadowCheck", Ct), "the refused session changed an override");
            Assert.True(await migration.IsSignedOutAsync());

            // Signed in with the new password, QA carries on.
            var again = stack.NewBrowser();
            await again.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.QaEmail, NewPassword));
            await Task.Delay(PastTheInterval, Ct);
            Assert.Equal(HttpStatusCode.OK, (await again.Http.GetAsync("/Migration", Ct)).StatusCode);
        }
        finally
        {
            await TenantAdmin.PatchUserAsync(stack, Seeded.Qa, new { password = Seeded.QaPassword, connection = "Username-Password-Authentication" });
        }
    }

    [Fact]
    public async Task The_tenant_is_asked_at_most_once_per_interval_not_on_every_request()
    {
        var browser = stack.NewBrowser();
        await browser.SignInAsync((d, s) => d.ContinueAsAsync(s, Seeded.AdaGithub));
        await Task.Delay(PastTheInterval, Ct);
        var before = await UserReadsAsync(Seeded.AdaGithub);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/", Ct)).StatusCode);
        var asked = await UserReadsAsync(Seeded.AdaGithub) - before;
        Assert.Equal(1, asked); // the first request after the interval, not the four after it
    }

    /// <summary>How many times the tenant was asked for <paramref name="userId"/> (however the path encodes the <c>|</c>).</summary>
    private async Task<int> UserReadsAsync(string userId) =>
        (await stack.CallsAsync("/api/v2/users/", "GET")).Count(c => Uri.UnescapeDataString(c.GetProperty("path").GetString()!).EndsWith(userId, StringComparison.Ordinal));

    private async Task AssertSentToFreshLoginAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = TestBrowser.RedirectTarget(response)!;
        Assert.StartsWith(stack.Url + "/authorize", target.ToString());
        Assert.Contains("prompt=login", target.Query);
    }
}
