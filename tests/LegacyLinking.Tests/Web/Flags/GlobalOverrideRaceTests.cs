using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Flags;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Flags;

/// <summary>The app on a fresh database of the shared PostgreSQL cluster, for tests that start a second instance on it.</summary>
public sealed class AppOnSharedPostgres(PostgresFixture postgres) : AppStackFixture
{
    private string _connectionString = "";

    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
    [
        new("Database:Provider", "Postgres"),
        new("ConnectionStrings:LegacyLinking", _connectionString),
    ];

    public override async ValueTask InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("overriderace");
        await base.InitializeAsync();
    }
}

/// <summary>
/// QA people on two instances set the same global override at the same moment: every request is answered (never a
/// 500 from a duplicate key), the override ends as one of the values written, and the audit is one unbroken chain.
/// </summary>
public abstract class GlobalOverrideRaceTests(AppStackFixture stack)
{
    private const int RequestsPerInstance = 30;
    private const int AtOnce = 10;

    [Fact]
    public async Task Concurrent_sets_of_one_override_on_two_instances_all_succeed_and_audit_one_chain()
    {
        await using var second = await stack.StartSecondInstanceAsync();
        string[] written = [LinkFlows.AccessToken, LinkFlows.ServerToken, LinkFlows.LegacyIdToken];
        // Both confirmation steps are fetched before either instance writes: a step is only offered for a value the
        // override does not already have, and once writes start cycling the values, any value can be the current one.
        var first = stack.NewBrowser();
        var other = stack.NewBrowser(second);
        var steps = await Task.WhenAll(ConfirmationStepAsync(first, written), ConfirmationStepAsync(other, written));
        var statuses = await Task.WhenAll(
            PostManyAsync(first, steps[0], written),
            PostManyAsync(other, steps[1], written));

        var all = statuses.SelectMany(s => s).ToList();
        Assert.Equal(2 * RequestsPerInstance, all.Count);
        Assert.DoesNotContain(all, status => status >= HttpStatusCode.InternalServerError);
        Assert.All(all, status => Assert.Equal(HttpStatusCode.Redirect, status));

        await using var db = await stack.App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var final = await db.FlagOverrides.AsNoTracking().SingleAsync(o => o.Flag == FlagNames.LinkFlow, TestContext.Current.CancellationToken);
        Assert.Contains(final.Value, written);
        var chain = await db.FlagAudit.AsNoTracking().Where(a => a.Flag == FlagNames.LinkFlow && a.Scope == "global")
            .OrderBy(a => a.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.NotEmpty(chain);
        // Each change starts from the value the one before it left: no two writers saw the same old value.
        for (var i = 1; i < chain.Count; i++) Assert.Equal(chain[i - 1].NewValue, chain[i].OldValue);
        Assert.Equal(final.Value, chain[^1].NewValue);
    }

    /// <summary>Signs a QA user in on the browser's instance and opens the confirmation step of one change for everyone.</summary>
    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> ConfirmationStepAsync(AppBrowser qa, string[] values)
    {
        await qa.SignInAsQaAsync();
        // Its form, posted with each value in turn, makes the writes race. (A value the override already has gets no
        // step: the next one does.)
        AngleSharp.Html.Dom.IHtmlDocument? page = null;
        foreach (var value in values)
        {
            var (_, console) = await qa.GetPageAsync("/Qa/Flags");
            var step = HtmlForm.Parse(await (await qa.ClickAsync(console, "/Qa/Flags", $"apply-global-{FlagNames.LinkFlow}", form => form.Set("value", value))).Content.ReadAsStringAsync());
            if (step.QuerySelector("[data-test='confirm-global']") is not null)
            {
                page = step;
                break;
            }
        }
        Assert.NotNull(page);
        return page;
    }

    /// <summary>Posts the confirmation step's form <see cref="AtOnce"/> at a time, cycling through the values.</summary>
    private static async Task<List<HttpStatusCode>> PostManyAsync(AppBrowser qa, AngleSharp.Html.Dom.IHtmlDocument page, string[] values)
    {
        var statuses = new List<HttpStatusCode>();
        using var gate = new SemaphoreSlim(AtOnce);
        var posts = Enumerable.Range(0, RequestsPerInstance).Select(async i =>
        {
            await gate.WaitAsync(TestContext.Current.CancellationToken);
            try
            {
                var form = HtmlForm.Find(page, qa.Start("/Qa/Flags"), "[data-test='confirm-global']").Set("value", values[i % values.Length]);
                using var response = await qa.Http.SendAsync(form.Submit("confirm-global"), TestContext.Current.CancellationToken);
                lock (statuses) statuses.Add(response.StatusCode);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(posts);
        return statuses;
    }
}

public sealed class GlobalOverrideRaceTestsOnPostgres(AppOnSharedPostgres stack) : GlobalOverrideRaceTests(stack), IClassFixture<AppOnSharedPostgres>;

/// <summary>Two instances on one SQLite file: SQLite serializes the writers itself; still never a 500.</summary>
public sealed class GlobalOverrideRaceTestsOnSqlite(AppStackFixture stack) : GlobalOverrideRaceTests(stack), IClassFixture<AppStackFixture>;
