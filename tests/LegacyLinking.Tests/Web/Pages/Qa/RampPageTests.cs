using System.Net;
using AngleSharp.Html.Dom;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Ramp;

namespace LegacyLinking.Tests.Web.Pages.Qa;

/// <summary>The app with its ramp engine off: these tests move the ramp by hand only.</summary>
public sealed class RampPageStack : AppStackFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> AppSettings => [new("Ramp:Engine", "false")];
}

/// <summary>
/// The QA ramp page over HTTP: only QA may use it, every form needs its antiforgery token and a why, each control does
/// what it says and is kept with who (name and email) and why, on this page and on the migration page's timeline.
/// </summary>
public sealed class RampPageTests(RampPageStack stack) : IClassFixture<RampPageStack>
{
    private const string QaName = "QA Tester";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<IHtmlDocument> ReadAsync(HttpResponseMessage response) => HtmlForm.Parse(await response.Content.ReadAsStringAsync());

    private static string? Text(IHtmlDocument page, string hook) => page.QuerySelector($"[data-test='{hook}']")?.TextContent.Trim();

    private static async Task<IHtmlDocument> ControlAsync(AppBrowser qa, string operation, string action, string why = "checked the record")
    {
        var (_, page) = await qa.GetPageAsync("/Qa/Ramp");
        return await ReadAsync(await qa.FollowAsync(await qa.ClickAsync(page, "/Qa/Ramp", $"control-{operation}-{action}", f => f.Set($"why-control-{operation}", why))));
    }

    private static async Task<IHtmlDocument> SaveAsync(AppBrowser qa, string operation, string steps, string why = "the plan agreed on Monday")
    {
        var (_, page) = await qa.GetPageAsync("/Qa/Ramp");
        return await ReadAsync(await qa.FollowAsync(await qa.ClickAsync(page, "/Qa/Ramp", $"save-{operation}", f =>
        {
            f.Set("fromFlow", "LegacyIdToken").Set("toFlow", "AccessToken"); // selects: this form reader keeps inputs only
            f.Set($"steps-{operation}", steps);
            f.Set($"seconds-{operation}", "3600");
            f.Set($"why-save-{operation}", why);
        })));
    }

    [Fact]
    public async Task Only_the_qa_group_may_open_the_page_or_post_to_it()
    {
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var response = await john.Http.GetAsync("/Qa/Ramp", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString());

        // With a real token of John's own (from his profile), so it is the policy that refuses and not the token.
        var (_, profile) = await john.GetPageAsync("/Profile");
        var token = profile.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var post = await john.Http.PostAsync("/Qa/Ramp?handler=Control", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("operation", "link"), new("action", RampActions.Abort), new("why", "x")]), Ct);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Contains("/Account/AccessDenied", post.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var post = await qa.Http.PostAsync("/Qa/Ramp?handler=Save", new FormUrlEncodedContent(
        [
            new("operation", "unlink"), new("fromFlow", "LegacyIdToken"), new("toFlow", "AccessToken"), new("steps", "50, 100"),
            new("minStepSeconds", "60"), new("minRequests", "1"), new("alpha", "0.05"), new("why", "forged"),
        ]), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        var (_, page) = await qa.GetPageAsync("/Qa/Ramp");
        Assert.StartsWith("No plan yet", Text(page, "ramp-state-unlink"));
    }

    [Fact]
    public async Task Every_control_does_what_it_says_and_is_kept_with_who_and_why()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();

        // Without a why nothing is saved; a bad plan is refused in words, not with an error page.
        var noWhy = await SaveAsync(qa, "link", "10, 50, 100", why: " ");
        Assert.Equal("Error: Say why: every change to a ramp is kept with its reason.", Text(noWhy, "status-message"));
        Assert.StartsWith("No plan yet", Text(noWhy, "ramp-state-link"));
        var bad = await SaveAsync(qa, "link", "50, 10");
        Assert.Contains("The steps must go up", Text(bad, "status-message"));

        var saved = await SaveAsync(qa, "link", "10, 50, 100");
        Assert.StartsWith("Plan saved: LegacyIdToken → AccessToken in steps of 10 %, 50 %, 100 %", Text(saved, "status-message"));
        Assert.Equal(RampStatus.Draft, Text(saved, "ramp-status-link"));

        var steps = new (string Action, string Status, string Percent)[]
        {
            (RampActions.Start, RampStatus.Running, "10"),
            (RampActions.Pause, RampStatus.Paused, "10"),
            (RampActions.Advance, RampStatus.Paused, "50"),
            (RampActions.Resume, RampStatus.Running, "50"),
            (RampActions.RollBack, RampStatus.Paused, "10"),
            (RampActions.Abort, RampStatus.Aborted, "0"),
        };
        foreach (var (action, status, percent) in steps)
        {
            var page = await ControlAsync(qa, "link", action, why: $"why {action}");
            Assert.DoesNotContain("Error", Text(page, "status-message"));
            Assert.Equal((status, percent), (Text(page, "ramp-status-link"), Text(page, "ramp-percent-link")));
        }
        var refused = await ControlAsync(qa, "link", RampActions.Pause);
        Assert.Equal("Error: The link ramp is aborted, not running: nothing to pause.", Text(refused, "status-message"));

        var rows = refused.QuerySelectorAll("[data-test='ramp-event']").Where(r => r.GetAttribute("data-operation") == "link").ToList();
        Assert.Equal([RampActions.Abort, RampActions.RollBack, RampActions.Resume, RampActions.Advance, RampActions.Pause, RampActions.Start, RampActions.Save],
            rows.Take(7).Select(r => r.GetAttribute("data-action")));
        Assert.All(rows.Take(7), r =>
        {
            Assert.Equal(QaName, r.QuerySelector("[data-test='ramp-event-actor']")?.TextContent);
            Assert.Equal(Seeded.QaEmail, r.QuerySelector("[data-test='ramp-event-email']")?.TextContent);
        });
        Assert.Equal("Why: why roll-back", rows[1].QuerySelector("[data-test='ramp-event-why']")?.TextContent);

        // The migration page's timeline shows the same history.
        var (_, migration) = await qa.GetPageAsync("/Migration");
        Assert.Contains("Aborted: every user back on LegacyIdToken", migration.QuerySelector("[data-test='ramp-history']")?.TextContent);
        // And marks each step on the link chart, with its percentage and why.
        var markers = migration.QuerySelectorAll("[data-test='ramp-marker-link']");
        Assert.Equal(6, markers.Length);
        Assert.Equal("50 %", markers[2].QuerySelector("text")?.TextContent);
        Assert.Contains("Advanced by hand from 10 % to 50 %", markers[2].QuerySelector("title")?.TextContent);
        Assert.Empty(migration.QuerySelectorAll("[data-test='ramp-marker-unlink']"));
    }

    [Fact]
    public async Task The_page_says_when_a_qa_override_for_everyone_wins_over_the_ramp()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        await qa.SetFlagAsync(LegacyLinking.Web.Flags.FlagNames.UnlinkFlow, "ServerToken");
        var (_, page) = await qa.GetPageAsync("/Qa/Ramp");
        Assert.Equal("A QA override for everyone sets UnlinkFlow to ServerToken: it wins over any ramp until it is cleared on the Flags page.",
            Text(page, "ramp-global-override-unlink"));
        Assert.Null(page.QuerySelector("[data-test='ramp-global-override-link']"));

        var (_, flags) = await qa.GetPageAsync("/Qa/Flags");
        await qa.ConfirmGlobalAsync(await qa.FollowAsync(await qa.ClickAsync(flags, "/Qa/Flags", "clear-global-UnlinkFlow")));
        (_, page) = await qa.GetPageAsync("/Qa/Ramp");
        Assert.Null(page.QuerySelector("[data-test='ramp-global-override-unlink']"));
    }

    [Fact]
    public async Task A_control_or_plan_for_an_unknown_operation_or_action_is_refused_in_words()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var (_, page) = await qa.GetPageAsync("/Qa/Ramp");
        var form = HtmlForm.Find(page, qa.Start("/Qa/Ramp"), "[data-test='save-unlink']").Set("operation", "suggest").Set("why", "x")
            .Set("fromFlow", "LegacyIdToken").Set("toFlow", "AccessToken");
        var response = await qa.FollowAsync(await qa.Http.SendAsync(form.Submit("save-unlink"), Ct));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Error: The operation must be link or unlink.", Text(await ReadAsync(response), "status-message"));
    }
}
