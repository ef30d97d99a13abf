using System.Net;
using AngleSharp.Html.Dom;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.QaConsole;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Pages.Qa;

/// <summary>
/// The QA console over HTTP: who may use it, session vs global overrides (the latter confirmed, with the users it
/// reaches), the definition and reasons in words, and the change log (paged, no no-ops, people by name and email).
/// </summary>
public sealed class FlagsPageTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    /// <summary>The QA user's name in the local tenant's seed (its sign-in's <c>name</c> claim).</summary>
    private const string QaName = "QA Tester";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_the_qa_group_may_open_the_console()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var response = await john.Http.GetAsync("/Qa/Flags", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_session_override_changes_only_that_session()
    {
        var mine = stack.NewBrowser();
        await mine.SignInAsQaAsync();
        var other = stack.NewBrowser();
        await other.SignInAsQaAsync();

        await mine.SetFlagAsync(FlagNames.LinkFlow, LinkFlows.ServerToken, "session");

        var (_, myPage) = await mine.GetPageAsync("/Qa/Flags");
        Assert.Equal(LinkFlows.ServerToken, myPage.QuerySelector("[data-test='effective-LinkFlow']")?.TextContent);
        Assert.Equal("(QaSession)", myPage.QuerySelector("[data-test='reason-LinkFlow']")?.TextContent);
        Assert.Equal("Chosen for your session only by a QA override.", myPage.QuerySelector("[data-test='reason-text-LinkFlow']")?.TextContent);
        Assert.Contains("link: ServerToken", myPage.QuerySelector("[data-test='flow-badge']")?.TextContent);

        var (_, theirPage) = await other.GetPageAsync("/Qa/Flags");
        Assert.NotEqual(LinkFlows.ServerToken, theirPage.QuerySelector("[data-test='effective-LinkFlow']")?.TextContent);
        Assert.Null(theirPage.QuerySelector("[data-test='clear-session-LinkFlow']")); // nothing of theirs to clear

        await mine.FollowAsync(await mine.ClickAsync(myPage, "/Qa/Flags", "clear-session-LinkFlow"));
        var (_, after) = await mine.GetPageAsync("/Qa/Flags");
        Assert.NotEqual("(QaSession)", after.QuerySelector("[data-test='reason-LinkFlow']")?.TextContent);
    }

    [Fact]
    public async Task A_global_override_reaches_a_second_instance_and_is_audited_with_name_and_email()
    {
        await using var second = await stack.StartSecondInstanceAsync();

        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        await qa.SetFlagAsync(FlagNames.MergeMetadata, OnOff.Off);

        var secondQa = stack.NewBrowser(second);
        await secondQa.SignInAsQaAsync();
        await Task.Delay(GlobalFlagOverrides.MaxStaleness + TimeSpan.FromMilliseconds(200), Ct);
        var (_, page) = await secondQa.GetPageAsync("/Qa/Flags");
        Assert.Equal(OnOff.Off, page.QuerySelector("[data-test='effective-MergeMetadata']")?.TextContent);
        Assert.Equal("(QaGlobal)", page.QuerySelector("[data-test='reason-MergeMetadata']")?.TextContent);
        Assert.Equal("Chosen for everyone by a QA override.", page.QuerySelector("[data-test='reason-text-MergeMetadata']")?.TextContent);
        var row = page.QuerySelectorAll("[data-test='audit-row']").First();
        Assert.Equal(Seeded.Qa, row.GetAttribute("data-actor"));
        Assert.Equal(QaName, row.QuerySelector("[data-test='audit-actor-name']")?.TextContent);
        Assert.Equal(Seeded.QaEmail, row.QuerySelector("[data-test='audit-actor-email']")?.TextContent);
        Assert.DoesNotContain(Seeded.Qa, row.TextContent); // people by name, not by id
        Assert.Contains("MergeMetadata", row.TextContent);
        Assert.Contains("everyone", row.TextContent);
        Assert.Contains("(configured) → off", row.TextContent);

        await ClearGlobalAsync(qa, FlagNames.MergeMetadata);
    }

    [Fact]
    public async Task A_change_for_everyone_waits_for_confirmation_and_says_how_many_recent_users_it_reaches()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var before = await StepAsync(qa, "apply-global-ShadowCheck", OnOff.Off);
        var counted = int.Parse(before.QuerySelector("[data-test='confirm-user-count']")!.TextContent.Replace(",", ""));

        // Nothing has changed yet, for anyone.
        var other = stack.NewBrowser();
        await other.SignInAsQaAsync();
        var (_, theirs) = await other.GetPageAsync("/Qa/Flags");
        Assert.Equal(OnOff.On, theirs.QuerySelector("[data-test='effective-ShadowCheck']")?.TextContent);
        Assert.Contains("no override", theirs.QuerySelector("[data-test='global-override-ShadowCheck']")?.TextContent);

        // Users who made link or unlink requests on one of the last 14 days count once each; older ones and
        // suggestions (shown to users, not asked by them) do not.
        var today = DateTime.UtcNow.Date;
        var since = today.AddDays(1 - FlagConsole.RecentDays);
        var run = Guid.NewGuid().ToString("N")[..8];
        await AddUserMonthsAsync(
            ($"auth0|today-{run}", "link", today), ($"auth0|today-{run}", "unlink", today),
            ($"auth0|first-day-{run}", "unlink", since), ($"auth0|both-{run}", "link", today.AddDays(-3)),
            ($"auth0|too-old-{run}", "link", since.AddDays(-1)), ($"auth0|suggested-{run}", ReportFilter.Suggest, today));
        var step = await StepAsync(qa, "apply-global-ShadowCheck", OnOff.Off);
        Assert.Equal((counted + 3).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), step.QuerySelector("[data-test='confirm-user-count']")?.TextContent);
        Assert.Contains($"since {since:yyyy-MM-dd}", step.QuerySelector("[data-test='confirm-users']")?.TextContent);
        Assert.Contains("Set ShadowCheck to off for everyone", step.QuerySelector("[data-test='confirm-summary']")?.TextContent);

        var done = await qa.FollowAsync(await qa.ClickAsync(step, "/Qa/Flags", "confirm-global"));
        var page = HtmlForm.Parse(await done.Content.ReadAsStringAsync());
        Assert.Equal("ShadowCheck is now off for everyone.", page.QuerySelector("[data-test='status-message']")?.TextContent);
        Assert.Equal(OnOff.Off, page.QuerySelector("[data-test='effective-ShadowCheck']")?.TextContent);

        // Clearing for everyone is confirmed the same way.
        var clear = await StepAsync(qa, "clear-global-ShadowCheck");
        Assert.Contains("Clear the override of ShadowCheck for everyone", clear.QuerySelector("[data-test='confirm-summary']")?.TextContent);
        Assert.NotNull(clear.QuerySelector("[data-test='confirm-user-count']"));
        var (_, still) = await qa.GetPageAsync("/Qa/Flags");
        Assert.Equal(OnOff.Off, still.QuerySelector("[data-test='effective-ShadowCheck']")?.TextContent);
        await qa.FollowAsync(await qa.ClickAsync(clear, "/Qa/Flags", "confirm-global"));
        var (_, cleared) = await qa.GetPageAsync("/Qa/Flags");
        Assert.Equal(OnOff.On, cleared.QuerySelector("[data-test='effective-ShadowCheck']")?.TextContent);
        Assert.Null(cleared.QuerySelector("[data-test='clear-global-ShadowCheck']"));
    }

    [Fact]
    public async Task Clearing_my_sessions_choice_leaves_the_override_for_everyone_and_the_other_way_round()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        await qa.SetFlagAsync(FlagNames.SuggestedLinking, OnOff.Off);
        await qa.SetFlagAsync(FlagNames.SuggestedLinking, OnOff.On, "session");

        var (_, both) = await qa.GetPageAsync("/Qa/Flags");
        Assert.Equal("(QaSession)", both.QuerySelector("[data-test='reason-SuggestedLinking']")?.TextContent);
        await qa.FollowAsync(await qa.ClickAsync(both, "/Qa/Flags", "clear-session-SuggestedLinking"));
        var (_, globalOnly) = await qa.GetPageAsync("/Qa/Flags");
        Assert.Equal("(QaGlobal)", globalOnly.QuerySelector("[data-test='reason-SuggestedLinking']")?.TextContent);
        Assert.Equal(OnOff.Off, globalOnly.QuerySelector("[data-test='effective-SuggestedLinking']")?.TextContent);

        await qa.SetFlagAsync(FlagNames.SuggestedLinking, OnOff.Off, "session");
        await ClearGlobalAsync(qa, FlagNames.SuggestedLinking);
        var (_, sessionOnly) = await qa.GetPageAsync("/Qa/Flags");
        Assert.Equal("(QaSession)", sessionOnly.QuerySelector("[data-test='reason-SuggestedLinking']")?.TextContent);
        Assert.Contains("no override", sessionOnly.QuerySelector("[data-test='global-override-SuggestedLinking']")?.TextContent);
        await qa.FollowAsync(await qa.ClickAsync(sessionOnly, "/Qa/Flags", "clear-session-SuggestedLinking"));
    }

    [Fact]
    public async Task A_change_that_changes_nothing_is_not_recorded_and_old_ones_are_not_shown()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var (_, console) = await qa.GetPageAsync("/Qa/Flags");
        // Clearing a session choice there is none of (the page offers no button for it; a stale page can still post it).
        var token = HtmlForm.Find(console, qa.Start("/Qa/Flags"), "form[method='post']")["__RequestVerificationToken"]!;
        var cleared = await qa.FollowAsync(await qa.Http.PostAsync("/Qa/Flags?handler=ClearSession",
            new FormUrlEncodedContent([new("flag", FlagNames.UnlinkFlow), new("__RequestVerificationToken", token)]), Ct));
        Assert.Equal("UnlinkFlow had no choice for your session: nothing changed.", Status(await ParseAsync(cleared)));
        await qa.SetFlagAsync(FlagNames.UnlinkFlow, UnlinkFlows.ServerToken, "session");
        var again = await qa.SetFlagAsync(FlagNames.UnlinkFlow, UnlinkFlows.ServerToken, "session");
        Assert.Equal("UnlinkFlow already was ServerToken for your session: nothing changed.", Status(await ParseAsync(again)));
        var firstStep = await qa.FollowAsync(await qa.ClickAsync(console, "/Qa/Flags", "apply-global-UnlinkFlow", f => f.Set("value", UnlinkFlows.LegacyIdToken)));
        await qa.SetFlagAsync(FlagNames.UnlinkFlow, UnlinkFlows.LegacyIdToken);
        var repeated = await qa.FollowAsync(await qa.ClickAsync(console, "/Qa/Flags", "apply-global-UnlinkFlow", f => f.Set("value", UnlinkFlows.LegacyIdToken)));
        Assert.Equal("UnlinkFlow already is LegacyIdToken for everyone: nothing changed.", Status(await ParseAsync(repeated)));
        Assert.NotNull((await ParseAsync(firstStep)).QuerySelector("[data-test='confirm-global']")); // the first was a real change

        var rows = await AuditRowsAsync(FlagNames.UnlinkFlow);
        Assert.Equal(new (string, string?, string?)[] { ("session", null, "ServerToken"), ("global", null, "LegacyIdToken") }, rows.Select(r => (r.Scope, r.OldValue, r.NewValue)));

        // A no-op row from before they were skipped, and a change of the time before names were kept.
        var run = Guid.NewGuid().ToString("N")[..8];
        var (noop, old) = ($"auth0|noop-{run}", $"auth0|old-{run}");
        await AddAuditAsync(
            new FlagAuditEntry { Flag = FlagNames.UnlinkFlow, Scope = "session", Actor = noop, At = DateTimeOffset.UtcNow },
            new FlagAuditEntry { Flag = FlagNames.UnlinkFlow, Scope = "global", OldValue = "x", NewValue = "x", Actor = noop, At = DateTimeOffset.UtcNow },
            new FlagAuditEntry { Flag = FlagNames.UnlinkFlow, Scope = "global", OldValue = "LegacyIdToken", Actor = old, At = DateTimeOffset.UtcNow });
        var (_, page) = await qa.GetPageAsync("/Qa/Flags");
        var shown = page.QuerySelectorAll("[data-test='audit-row']").ToList();
        Assert.DoesNotContain(shown, r => r.GetAttribute("data-actor") == noop);
        var oldRow = Assert.Single(shown, r => r.GetAttribute("data-actor") == old);
        Assert.Equal(old, oldRow.QuerySelector("[data-test='audit-actor-id']")?.TextContent);

        await qa.SetFlagAsync(FlagNames.UnlinkFlow, UnlinkFlows.LegacyIdToken, "session");
        await ClearGlobalAsync(qa, FlagNames.UnlinkFlow);
        var (_, mine) = await qa.GetPageAsync("/Qa/Flags");
        await qa.FollowAsync(await qa.ClickAsync(mine, "/Qa/Flags", "clear-session-UnlinkFlow"));
    }

    [Fact]
    public async Task The_change_log_is_paged_newest_first_with_every_change_on_one_page()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);
        await AddAuditAsync([.. Enumerable.Range(0, 2 * FlagConsole.AuditPageSize + 5).Select(i => new FlagAuditEntry
        {
            Flag = FlagNames.MergeMetadata, Scope = "global", OldValue = i % 2 == 0 ? OnOff.On : OnOff.Off, NewValue = i % 2 == 0 ? OnOff.Off : OnOff.On,
            Actor = Seeded.Qa, ActorName = QaName, ActorEmail = Seeded.QaEmail, At = start.AddSeconds(i),
        })]);
        var expected = await ChangeIdsAsync();
        var pages = (expected.Count + FlagConsole.AuditPageSize - 1) / FlagConsole.AuditPageSize;

        var seen = new List<long>();
        for (var number = 1; number <= pages; number++)
        {
            var (response, page) = await qa.GetPageAsync($"/Qa/Flags?changes={number}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var ids = Ids(page);
            Assert.Equal(number < pages ? FlagConsole.AuditPageSize : expected.Count - (pages - 1) * FlagConsole.AuditPageSize, ids.Count);
            seen.AddRange(ids);
            Assert.Equal("page", page.QuerySelector($"[data-test='audit-page-{number}']")?.GetAttribute("aria-current"));
            Assert.Equal(number > 1, page.QuerySelector("[data-test='audit-newer']") is not null);
            Assert.Equal(number < pages, page.QuerySelector("[data-test='audit-older']") is not null);
            Assert.Contains($"{expected.Count} changes", page.QuerySelector("[data-test='audit-summary']")?.TextContent);
        }
        Assert.Equal(expected, seen);

        // The first page from the links, and out-of-range pages answered with the nearest one, never an error.
        var (_, first) = await qa.GetPageAsync("/Qa/Flags");
        var older = first.QuerySelector("[data-test='audit-older']")!.GetAttribute("href")!;
        Assert.Equal(Ids((await qa.GetPageAsync(older)).Page), expected.Skip(FlagConsole.AuditPageSize).Take(FlagConsole.AuditPageSize));
        Assert.Equal(expected.Take(FlagConsole.AuditPageSize), Ids((await qa.GetPageAsync("/Qa/Flags?changes=-3")).Page));
        Assert.Equal(expected.Skip((pages - 1) * FlagConsole.AuditPageSize), Ids((await qa.GetPageAsync("/Qa/Flags?changes=99999")).Page));
        var (notANumber, _) = await qa.GetPageAsync("/Qa/Flags?changes=abc");
        Assert.Equal(HttpStatusCode.OK, notANumber.StatusCode);
    }

    [Fact]
    public async Task The_configured_allocation_is_a_table_of_rules()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var (_, page) = await qa.GetPageAsync("/Qa/Flags");
        var rules = page.QuerySelectorAll("[data-test='allocation-LinkFlow'] tbody tr")
            .Select(r => string.Join(" | ", r.Children.Select(c => c.TextContent.Trim()))).ToList();
        Assert.Equal([
            "Percentile | 0 % to 100 % of users | LegacyIdToken",
            "Default when enabled | Anyone else, while the flag is on | LegacyIdToken",
            "Default when disabled | Everyone, while the flag is off | LegacyIdToken",
        ], rules);
        Assert.Contains("account-linking-migration", page.QuerySelector("[data-test='seed-LinkFlow']")?.TextContent);
        Assert.Equal("Enabled in configuration.", page.QuerySelector("[data-test='configured-status-LinkFlow']")?.TextContent);
        Assert.Null(page.QuerySelector("[data-test='allocation-MergeMetadata']")); // an on/off flag without allocation
        // Every control has a label of its own.
        foreach (var select in page.QuerySelectorAll("select"))
            Assert.NotNull(page.QuerySelector($"label[for='{select.Id}']"));
    }

    private static IReadOnlyList<long> Ids(IHtmlDocument page) =>
        [.. page.QuerySelectorAll("[data-test='audit-row']").Select(r => long.Parse(r.GetAttribute("data-id")!))];

    private static string? Status(IHtmlDocument page) => page.QuerySelector("[data-test='status-message']")?.TextContent;

    private static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) => HtmlForm.Parse(await response.Content.ReadAsStringAsync());

    /// <summary>Clicks <paramref name="hook"/> on the console and returns the confirmation step it shows.</summary>
    private static async Task<IHtmlDocument> StepAsync(AppBrowser qa, string hook, string? value = null)
    {
        var (_, console) = await qa.GetPageAsync("/Qa/Flags");
        var response = await qa.ClickAsync(console, "/Qa/Flags", hook, form => { if (value is not null) form.Set("value", value); });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var step = await ParseAsync(response);
        Assert.NotNull(step.QuerySelector("[data-test='confirm-global']"));
        return step;
    }

    private static async Task ClearGlobalAsync(AppBrowser qa, string flag) =>
        await qa.FollowAsync(await qa.ClickAsync(await StepAsync(qa, $"clear-global-{flag}"), "/Qa/Flags", "confirm-global"));

    private async Task<AppDbContext> DatabaseAsync() =>
        await stack.App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct);

    private async Task AddUserMonthsAsync(params (string User, string Operation, DateTime Day)[] rows)
    {
        await using var db = await DatabaseAsync();
        db.FlowUserMonths.AddRange(rows.Select(r => new FlowUserMonth
        {
            Month = UserMonths.Month(r.Day), Operation = r.Operation, Flow = "LegacyIdToken", UserId = r.User, Days = UserMonths.DayBit(r.Day),
        }));
        await db.SaveChangesAsync(Ct);
    }

    private async Task AddAuditAsync(params FlagAuditEntry[] entries)
    {
        await using var db = await DatabaseAsync();
        db.FlagAudit.AddRange(entries);
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>The ids of the rows that changed something, newest first (what the log must show, page after page).</summary>
    private async Task<List<long>> ChangeIdsAsync()
    {
        await using var db = await DatabaseAsync();
        var all = await db.FlagAudit.AsNoTracking().ToListAsync(Ct);
        return [.. all.Where(a => a.OldValue != a.NewValue).OrderByDescending(a => a.Id).Select(a => a.Id)];
    }

    private async Task<List<FlagAuditEntry>> AuditRowsAsync(string flag)
    {
        await using var db = await DatabaseAsync();
        return await db.FlagAudit.AsNoTracking().Where(a => a.Flag == flag && a.Actor == Seeded.Qa).OrderBy(a => a.Id).ToListAsync(Ct);
    }
}
