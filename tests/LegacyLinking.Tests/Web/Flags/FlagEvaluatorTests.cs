using System.Security.Claims;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LegacyLinking.Tests.Web.Flags;

/// <summary>The real FeatureManagement pipeline with the app's provider, targeting accessor and a real SQLite store.</summary>
public sealed class FlagEvaluatorTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ll-flags-").FullName;
    private WebApplication _app = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.Sources.Clear(); // only this test's flags, not the app's appsettings.json
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:LegacyLinking"] = $"Data Source={Path.Combine(_folder, "app.db")}",
            ["feature_management:feature_flags:0:id"] = "LinkFlow",
            ["feature_management:feature_flags:0:enabled"] = "true",
            ["feature_management:feature_flags:0:telemetry:enabled"] = "true",
            ["feature_management:feature_flags:0:variants:0:name"] = "AccessToken",
            ["feature_management:feature_flags:0:variants:1:name"] = "ServerToken",
            ["feature_management:feature_flags:0:variants:2:name"] = "LegacyIdToken",
            ["feature_management:feature_flags:0:variants:3:name"] = "LegacyAuthorize",
            ["feature_management:feature_flags:0:allocation:default_when_enabled"] = "LegacyIdToken",
            ["feature_management:feature_flags:0:allocation:user:0:variant"] = "ServerToken",
            ["feature_management:feature_flags:0:allocation:user:0:users:0"] = "auth0|pinned",
            ["feature_management:feature_flags:0:allocation:group:0:variant"] = "AccessToken",
            ["feature_management:feature_flags:0:allocation:group:0:groups:0"] = "qa",
            ["feature_management:feature_flags:1:id"] = "MergeMetadata",
            ["feature_management:feature_flags:1:enabled"] = "false",
            ["feature_management:feature_flags:1:telemetry:enabled"] = "true",
            ["feature_management:feature_flags:2:id"] = "ShadowCheck",
            ["feature_management:feature_flags:2:enabled"] = "true",
            ["feature_management:feature_flags:2:telemetry:enabled"] = "true",
            ["feature_management:feature_flags:2:variants:0:name"] = "Off",
            ["feature_management:feature_flags:2:variants:0:status_override"] = "Disabled",
            ["feature_management:feature_flags:2:variants:1:name"] = "On",
            ["feature_management:feature_flags:2:allocation:percentile:0:variant"] = "On",
            ["feature_management:feature_flags:2:allocation:percentile:0:from"] = "0",
            ["feature_management:feature_flags:2:allocation:percentile:0:to"] = "100",
            // Defined as the app requires every flag it evaluates to be (checked at start); not evaluated here.
            ["feature_management:feature_flags:3:id"] = "UnlinkFlow",
            ["feature_management:feature_flags:3:enabled"] = "true",
            ["feature_management:feature_flags:3:telemetry:enabled"] = "true",
            ["feature_management:feature_flags:4:id"] = "SuggestedLinking",
            ["feature_management:feature_flags:4:enabled"] = "true",
            ["feature_management:feature_flags:4:telemetry:enabled"] = "true",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddAppDatabase();
        builder.AddFeatureFlags();
        _app = builder.Build();
        await _app.StartAsync(TestContext.Current.CancellationToken);
    }

    private async Task<FlagDecision> EvaluateAs(string sub, string flag, params string[] groups)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", sub), .. groups.Select(g => new Claim(LegacyLinking.Web.Authentication.AuthorizationPolicies.GroupsClaim, g))], "test"));
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = context;
        return await scope.ServiceProvider.GetRequiredService<FlagEvaluator>().EvaluateAsync(flag, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task User_allocation_wins_and_says_so()
    {
        var decision = await EvaluateAs("auth0|pinned", FlagNames.LinkFlow, "qa");
        Assert.Equal(("ServerToken", FlagReasons.User), (decision.Variant, decision.Reason));
    }

    [Fact]
    public async Task Group_allocation_targets_qa()
    {
        var decision = await EvaluateAs("auth0|someone", FlagNames.LinkFlow, "qa");
        Assert.Equal(("AccessToken", FlagReasons.Group), (decision.Variant, decision.Reason));
    }

    [Fact]
    public async Task Everyone_else_gets_the_default()
    {
        var decision = await EvaluateAs("auth0|someone", FlagNames.LinkFlow);
        Assert.Equal(("LegacyIdToken", FlagReasons.DefaultWhenEnabled), (decision.Variant, decision.Reason));
    }

    [Fact]
    public async Task A_disabled_flag_reports_default_when_disabled()
    {
        var decision = await EvaluateAs("auth0|someone", FlagNames.MergeMetadata);
        Assert.False(decision.Enabled);
        Assert.Equal(FlagReasons.DefaultWhenDisabled, decision.Reason);
    }

    [Fact]
    public async Task Percentile_allocation_is_sticky_per_user()
    {
        var first = await EvaluateAs("auth0|sticky", FlagNames.ShadowCheck);
        var again = await EvaluateAs("auth0|sticky", FlagNames.ShadowCheck);
        Assert.Equal(FlagReasons.Percentile, first.Reason);
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task A_global_override_beats_allocation_and_is_audited()
    {
        var overrides = _app.Services.GetRequiredService<GlobalFlagOverrides>();
        await overrides.SetAsync(FlagNames.LinkFlow, "LegacyAuthorize", "auth0|qa", TestContext.Current.CancellationToken);

        var pinned = await EvaluateAs("auth0|pinned", FlagNames.LinkFlow);
        Assert.Equal(("LegacyAuthorize", FlagReasons.QaGlobal), (pinned.Variant, pinned.Reason));

        await overrides.SetAsync(FlagNames.LinkFlow, null, "auth0|qa", TestContext.Current.CancellationToken);
        Assert.Equal(FlagReasons.User, (await EvaluateAs("auth0|pinned", FlagNames.LinkFlow)).Reason);

        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>()
            .CreateDbContextAsync(TestContext.Current.CancellationToken);
        var audit = await db.FlagAudit.OrderBy(a => a.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Collection(audit,
            a => Assert.Equal((null, "LegacyAuthorize", "global", "auth0|qa"), (a.OldValue, a.NewValue, a.Scope, a.Actor)),
            a => Assert.Equal(("LegacyAuthorize", (string?)null), (a.OldValue, a.NewValue)));
    }

    [Fact]
    public async Task An_on_off_override_turns_a_disabled_flag_on()
    {
        await _app.Services.GetRequiredService<GlobalFlagOverrides>()
            .SetAsync(FlagNames.MergeMetadata, OnOff.On, "auth0|qa", TestContext.Current.CancellationToken);
        var decision = await EvaluateAs("auth0|someone", FlagNames.MergeMetadata);
        Assert.Equal((true, FlagReasons.QaGlobal), (decision.Enabled, decision.Reason));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
