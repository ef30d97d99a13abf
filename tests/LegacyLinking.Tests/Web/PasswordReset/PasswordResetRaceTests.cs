using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.PasswordReset;

/// <summary>The app (tenant test controls on, to count the unlinks) asking about resets every 3 s; SQLite by default.</summary>
public class ResetRaceStack : AppStackWithTestControls
{
    public const int CheckSeconds = 3;
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings => [new("Sessions:PasswordResetCheckSeconds", CheckSeconds.ToString())];
}

/// <summary>As <see cref="ResetRaceStack"/>, on a fresh database of the shared PostgreSQL cluster.</summary>
public sealed class ResetRaceStackOnPostgres(PostgresFixture postgres) : ResetRaceStack
{
    private string _connectionString = "";

    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
    [
        .. base.AppSettings,
        new("Database:Provider", "Postgres"),
        new("ConnectionStrings:LegacyLinking", _connectionString),
    ];

    public override async ValueTask InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("resetrace");
        await base.InitializeAsync();
    }
}

/// <summary>
/// A reset is answered on every authenticated request, so the requests of one user's sessions race to answer it: one
/// of them claims it and unlinks, the others answer as if it were handled. Never a 500 from the review row's key,
/// never an identity unlinked twice, and every session from before the reset ends.
/// </summary>
public abstract class PasswordResetRaceTests(ResetRaceStack stack)
{
    private const int Sessions = 4;
    private const int RequestsPerSession = 5;
    private const string GithubId = "1234567";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_requests_after_a_reset_unlink_once_and_end_every_session_from_before_it()
    {
        await TenantAdmin.LinkAsync(stack, Seeded.AdaDatabase, Seeded.AdaGithub);
        var browsers = await SignInAsync(Sessions, b => b.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword)));
        await TenantAdmin.PatchUserAsync(stack, Seeded.AdaDatabase, new { password = "Ada-Race-Passw0rd!", connection = "Username-Password-Authentication" });

        await AssertEverySessionEndsWithout500Async(browsers);
        Assert.Equal([Seeded.AdaDatabase], await TenantAdmin.IdentitiesOfAsync(stack, Seeded.AdaDatabase));
        Assert.Single(await stack.CallsAsync("/api/v2/users/", "DELETE"), c => c.GetProperty("path").GetString()!.EndsWith("/identities/github/" + GithubId, StringComparison.Ordinal));
        var review = await ReviewOfAsync(Seeded.AdaDatabase);
        Assert.StartsWith($"github|{GithubId}|", review.Detached); // recorded once, with what the winner detached
        Assert.Null(review.ReviewedAt);
    }

    [Fact]
    public async Task Concurrent_requests_after_a_reset_of_a_user_with_nothing_linked_all_answer_and_record_it_once()
    {
        var browsers = await SignInAsync(Sessions, b => b.SignInAsQaAsync());
        await TenantAdmin.PatchUserAsync(stack, Seeded.Qa, new { password = "Qa-Race-Passw0rd!", connection = "Username-Password-Authentication" });
        try
        {
            await AssertEverySessionEndsWithout500Async(browsers);
            var review = await ReviewOfAsync(Seeded.Qa);
            Assert.Equal("", review.Detached);
            Assert.NotNull(review.ReviewedAt); // nothing to review
        }
        finally
        {
            await TenantAdmin.PatchUserAsync(stack, Seeded.Qa, new { password = Seeded.QaPassword, connection = "Username-Password-Authentication" });
        }
    }

    private async Task<List<AppBrowser>> SignInAsync(int count, Func<AppBrowser, Task> signIn)
    {
        var browsers = new List<AppBrowser>();
        for (var i = 0; i < count; i++)
        {
            var browser = stack.NewBrowser();
            await signIn(browser);
            browsers.Add(browser);
        }
        return browsers;
    }

    /// <summary>The profile page and a plain page at once from every session (both answer the reset): none a 500, all ended.</summary>
    private static async Task AssertEverySessionEndsWithout500Async(List<AppBrowser> browsers)
    {
        await Task.Delay(TimeSpan.FromSeconds(ResetRaceStack.CheckSeconds + 0.5), Ct); // every request asks the tenant
        var requests = browsers.SelectMany(b => Enumerable.Range(0, RequestsPerSession).Select(i => b.Http.GetAsync(i % 2 == 0 ? "/Profile" : "/", Ct)));
        var statuses = (await Task.WhenAll(requests)).Select(r => r.StatusCode).ToList();
        Assert.All(statuses, s => Assert.True((int)s < 500, $"answered {s}"));
        foreach (var browser in browsers)
            Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/Profile", Ct)).StatusCode); // the session from before the reset is over
    }

    private async Task<LegacyLinking.Web.PasswordReset.IdentityReview> ReviewOfAsync(string userId)
    {
        await using var db = await stack.App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct);
        return Assert.Single(await db.IdentityReviews.AsNoTracking().Where(r => r.UserId == userId).ToListAsync(Ct));
    }
}

public sealed class PasswordResetRaceTestsOnSqlite(ResetRaceStack stack) : PasswordResetRaceTests(stack), IClassFixture<ResetRaceStack>;

public sealed class PasswordResetRaceTestsOnPostgres(ResetRaceStackOnPostgres stack) : PasswordResetRaceTests(stack), IClassFixture<ResetRaceStackOnPostgres>;
