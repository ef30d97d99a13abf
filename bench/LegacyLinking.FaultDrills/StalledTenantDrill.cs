using System.Diagnostics;
using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Flags;

namespace LegacyLinking.FaultDrills;

/// <summary>
/// The app with its default page deadline (Auth0:Http:PageDeadlineSeconds, 10 s) against a tenant whose routes stall
/// for a minute: how long each page and journey takes, beside the same page while the tenant answers.
/// </summary>
public static class StalledTenantDrill
{
    private static readonly double Deadline = new Auth0HttpOptions().PageDeadlineSeconds;
    private const int BreakSeconds = 5;

    /// <summary>The default deadline; a short circuit break so that each case starts with a closed circuit soon.</summary>
    private sealed class DrillStack : AppStackWithTestControls
    {
        protected override IEnumerable<KeyValuePair<string, string?>> AppSettings =>
            [new("Auth0:Http:CircuitBreakSeconds", BreakSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    public static async Task RunAsync(Report report)
    {
        await using var stack = new DrillStack();
        await stack.InitializeAsync();
        await stack.UseFlowsAsync(LinkFlows.AccessToken, UnlinkFlows.AccessToken);
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var ada = stack.NewBrowser();
        await ada.SignInAsync((d, s) => d.LoginWithPasswordAsync(s, Seeded.AdaEmail, Seeded.AdaPassword));
        var target = $"≤ {Deadline + 1:0} s (deadline + 1 s)";

        var healthy = new List<TimeSpan>();
        for (var i = 0; i < 20; i++) healthy.Add((await TimeAsync(() => john.GetPageAsync("/Profile"))).Time);
        var usual = healthy.Order().ElementAt(healthy.Count / 2);
        report.Row("Profile page, tenant answering (median of 20)", Report.Seconds(usual), $"slowest {Report.Seconds(healthy.Max())}");

        // Every user read stalls: pages two at a time until the circuit opens and they fail at once.
        await stack.Controls.AddFaultAsync(new { route = "GET /api/v2/users/*", latencyMs = 60_000, count = 1_000 });
        var stalled = new List<(TimeSpan Time, HttpStatusCode Status)>();
        for (var round = 0; round < 6; round++)
            stalled.AddRange(await Task.WhenAll(TimeAsync(() => john.GetPageAsync("/Profile")), TimeAsync(() => ada.GetPageAsync("/Profile"))));
        var slowest = stalled.Max(s => s.Time);
        report.Row("Slowest profile page, user reads stalled (12 pages, 2 at a time)",
            $"**{Report.Seconds(slowest)}** ({Report.Ratio(slowest.TotalSeconds / Deadline)} × the deadline)",
            $"{stalled.Count(s => s.Time > TimeSpan.FromSeconds(1))} waited, {stalled.Count(s => s.Time <= TimeSpan.FromSeconds(1))} failed at once (circuit open); answers: {Statuses(stalled)}; the same page with the tenant answering: {Report.Seconds(usual)}",
            target);
        await RecoverAsync(stack, john);

        await stack.Controls.AddFaultAsync(new { route = "GET /api/v2/users-by-email", latencyMs = 60_000, count = 1 });
        var (suggestions, suggestionsStatus) = await TimeAsync(() => john.GetPageAsync("/Profile"));
        report.Row("Profile page, only the suggestions lookup stalled", $"**{Report.Seconds(suggestions)}**, {(int)suggestionsStatus} with the identities and a notice", "", target);
        await RecoverAsync(stack, john);

        var (_, profile) = await john.GetPageAsync("/Profile");
        await stack.Controls.AddFaultAsync(new { route = "GET /api/v2/users/*", latencyMs = 60_000, count = 5 });
        var journey = Stopwatch.StartNew();
        var back = await john.FollowAsync(await john.ClickAsync(profile, "/Profile", "link-sms"));
        journey.Stop();
        report.Row("Link journey (start, back to the profile), user reads stalled", $"**{Report.Seconds(journey.Elapsed)}**, ends {(int)back.StatusCode}", "the profile it returns to does not wait again", target);
        await RecoverAsync(stack, john);

        var browser = stack.NewBrowser();
        var login = await browser.Tenant.ContinueAsAsync(browser.Start("/Profile"), Seeded.John);
        await stack.Controls.AddFaultAsync(new { route = "POST /oauth/token", latencyMs = 60_000, count = 1 });
        var exchange = Stopwatch.StartNew();
        var failed = await browser.FollowAsync(await login.DeliverAsync(browser.Http));
        exchange.Stop();
        report.Row("Sign-in, code exchange stalled", $"**{Report.Seconds(exchange.Elapsed)}**, ends {(int)failed.StatusCode} (identity provider did not answer)", "", target);
        await RecoverAsync(stack, john);

        await stack.Controls.AddFaultAsync(new { route = "GET /.well-known/openid-configuration", latencyMs = 60_000, count = 1_000 });
        await using (var fresh = await stack.StartSecondInstanceAsync())
        {
            var (discovery, discoveryStatus) = await TimeAsync(async () =>
            {
                using var response = await stack.NewBrowser(fresh).Http.GetAsync("/Account/Login?returnUrl=%2FProfile");
                return (response, (AngleSharp.Html.Dom.IHtmlDocument?)null);
            });
            report.Row("Sign-in at a fresh instance, discovery stalled", $"**{Report.Seconds(discovery)}**, {(int)discoveryStatus}", "", target);
        }
        await stack.Controls.ResetAsync();
    }

    private static async Task<(TimeSpan Time, HttpStatusCode Status)> TimeAsync<TPage>(Func<Task<(HttpResponseMessage Response, TPage Page)>> page)
    {
        var clock = Stopwatch.StartNew();
        var (response, _) = await page();
        return (clock.Elapsed, response.StatusCode);
    }

    private static string Statuses(IEnumerable<(TimeSpan Time, HttpStatusCode Status)> pages) =>
        string.Join(", ", pages.GroupBy(p => (int)p.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} × {g.Key}"));

    /// <summary>Faults cleared, the circuit's break over and a page served again: the next case starts from a tenant that answers.</summary>
    private static async Task RecoverAsync(AppStackWithTestControls stack, AppBrowser browser)
    {
        await stack.Controls.ResetAsync();
        await Task.Delay(TimeSpan.FromSeconds(BreakSeconds + 0.5));
        for (var attempt = 0; attempt < 20 && (await browser.GetPageAsync("/Profile")).Response.StatusCode != HttpStatusCode.OK; attempt++)
            await Task.Delay(500);
    }
}
