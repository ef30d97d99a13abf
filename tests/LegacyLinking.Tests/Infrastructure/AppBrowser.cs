using System.Net;
using AngleSharp.Html.Dom;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>One person's browser against the app and the tenant: shared cookies, each redirect visible.</summary>
public sealed class AppBrowser(Uri app, LocalTenantFixture tenant, CookieContainer cookies)
{
    public HttpClient Http { get; } = TestBrowser.Create(app, cookies);
    public TenantLoginDriver Tenant => new(Http, new Uri(tenant.Url));
    public CookieContainer Cookies => cookies;
    public Uri Start(string path) => new(app, path);

    /// <summary>Opens an app page that needs sign-in, signs in at the tenant with <paramref name="login"/>, and follows back.</summary>
    public async Task<HttpResponseMessage> SignInAsync(Func<TenantLoginDriver, Uri, Task<TenantStep>> login, string path = "/Profile")
    {
        var step = await login(Tenant, Start(path));
        return await FollowAsync(await step.DeliverAsync(Http));
    }

    public Task<HttpResponseMessage> SignInAsJohnAsync() =>
        SignInAsync((driver, start) => driver.ContinueAsAsync(start, Seeded.John));

    public Task<HttpResponseMessage> SignInAsQaAsync() =>
        SignInAsync((driver, start) => driver.LoginWithPasswordAsync(start, Seeded.QaEmail, Seeded.QaPassword));

    /// <summary>Clicks a link button on the profile page, signs in to the second account at the tenant, and returns to the profile.</summary>
    public async Task<LinkResult> LinkAsync(string hook, Func<TenantLoginDriver, Uri, Task<TenantStep>> secondaryLogin)
    {
        var (_, profile) = await GetPageAsync("/Profile");
        var start = await ClickAsync(profile, "/Profile", hook);
        var flow = start.Headers.TryGetValues("X-Linking-Flow", out var values) ? values.FirstOrDefault() : null;
        if (TestBrowser.RedirectTarget(start) is not { } authorize || !TestBrowser.SameOrigin(authorize, new Uri(tenant.Url)))
            return await LinkResult.ReadAsync(await FollowAsync(start), flow, null);
        // The tenant may refuse before showing a login page (e.g. a legacy parameter it no longer accepts).
        var opened = await Tenant.OpenAsync(authorize);
        var step = opened.IsLoginPage ? await secondaryLogin(Tenant, authorize) : opened;
        var callback = await step.DeliverAsync(Http);
        return await LinkResult.ReadAsync(await FollowAsync(callback), flow, authorize);
    }

    /// <summary>Clicks a link button on the profile page: the tenant's <c>/authorize</c> the app redirected to, not followed.</summary>
    public async Task<Uri> StartLinkAsync(string hook = "link-sms")
    {
        var (_, profile) = await GetPageAsync("/Profile");
        return TestBrowser.RedirectTarget(await ClickAsync(profile, "/Profile", hook))
            ?? throw new InvalidOperationException($"Clicking {hook} redirected nowhere.");
    }

    public Task<LinkResult> LinkSmsAsync(string phone = Seeded.JohnSmsPhone) =>
        LinkAsync("link-sms", (driver, start) => driver.LoginWithSmsAsync(start, phone));

    /// <summary>
    /// The handle the profile page gives the suggested account of <paramref name="connection"/> (its hooks are
    /// <c>suggestion-{handle}</c> and <c>link-suggestion-{handle}</c>); null when none is offered.
    /// </summary>
    public async Task<string?> SuggestionAsync(string connection) => SuggestionOn((await GetPageAsync("/Profile")).Page, connection);

    /// <summary>The same, read from a profile page already loaded.</summary>
    public static string? SuggestionOn(IHtmlDocument profile, string connection) =>
        profile.QuerySelectorAll("li[data-test^='suggestion-']")
            .FirstOrDefault(e => e.GetAttribute("data-connection") == connection)
            ?.GetAttribute("data-test")!["suggestion-".Length..];

    /// <summary>Accepts the suggested account of <paramref name="connection"/>, signing in to the second account with <paramref name="secondaryLogin"/>.</summary>
    public async Task<LinkResult> LinkSuggestionAsync(string connection, Func<TenantLoginDriver, Uri, Task<TenantStep>> secondaryLogin) =>
        await LinkAsync("link-suggestion-" + (await SuggestionAsync(connection) ?? throw new InvalidOperationException($"No {connection} account is suggested.")),
            secondaryLogin);

    /// <summary>Clicks an unlink button on the profile page and follows back to the profile.</summary>
    public async Task<LinkResult> UnlinkAsync(string provider, string userId)
    {
        var (_, profile) = await GetPageAsync("/Profile");
        var response = await ClickAsync(profile, "/Profile", $"unlink-{provider}-{userId}");
        var flow = response.Headers.TryGetValues("X-Linking-Flow", out var values) ? values.FirstOrDefault() : null;
        return await LinkResult.ReadAsync(await FollowAsync(response), flow, null);
    }

    /// <summary>
    /// Posts an unlink the page never offers (e.g. the primary identity, another user's identity) with this
    /// browser's valid antiforgery token — what a user crafting requests by hand can do.
    /// </summary>
    public async Task<LinkResult> PostUnlinkAsync(string provider, string userId)
    {
        var (_, profile) = await GetPageAsync("/Profile");
        var token = HtmlForm.Find(profile, Start("/Profile"), "form[method='post']")["__RequestVerificationToken"]!;
        var response = await Http.PostAsync("/Profile?handler=Unlink", new FormUrlEncodedContent([
            new("provider", provider), new("userId", userId), new("__RequestVerificationToken", token),
        ]));
        var flow = response.Headers.TryGetValues("X-Linking-Flow", out var values) ? values.FirstOrDefault() : null;
        return await LinkResult.ReadAsync(await FollowAsync(response), flow, null);
    }

    /// <summary>
    /// As a QA user: sets a flag override through the QA console (<paramref name="scope"/> "global" or "session"); a
    /// change for everyone is confirmed on the step the console shows first.
    /// </summary>
    public async Task<HttpResponseMessage> SetFlagAsync(string flag, string value, string scope = "global")
    {
        var (_, page) = await GetPageAsync("/Qa/Flags");
        var response = await FollowAsync(await ClickAsync(page, "/Qa/Flags", $"apply-{scope}-{flag}", form => form.Set("value", value)));
        return scope == "global" ? await ConfirmGlobalAsync(response) : response;
    }

    /// <summary>Clicks "yes" on the confirmation step of a change for everyone, when <paramref name="step"/> is one (a no-op has none).</summary>
    public async Task<HttpResponseMessage> ConfirmGlobalAsync(HttpResponseMessage step)
    {
        var page = HtmlForm.Parse(await step.Content.ReadAsStringAsync());
        if (page.QuerySelector("[data-test='confirm-global']") is null) return step;
        return await FollowAsync(await ClickAsync(page, "/Qa/Flags", "confirm-global"));
    }

    /// <summary>Whether this browser's session is gone: the app sends it to the tenant's <c>/authorize</c> to sign in again.</summary>
    public async Task<bool> IsSignedOutAsync()
    {
        var target = TestBrowser.RedirectTarget(await Http.GetAsync("/Profile"));
        return target is not null && TestBrowser.SameOrigin(target, new Uri(tenant.Url)) && target.AbsolutePath.EndsWith("/authorize", StringComparison.Ordinal);
    }

    /// <summary>Follows redirects that stay within the app.</summary>
    public async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage response)
    {
        for (var hop = 0; hop < 10 && TestBrowser.RedirectTarget(response) is { } target && TestBrowser.SameOrigin(target, Start("/")); hop++)
            response = await Http.GetAsync(target);
        return response;
    }

    public async Task<(HttpResponseMessage Response, IHtmlDocument Page)> GetPageAsync(string path)
    {
        var response = await FollowAsync(await Http.GetAsync(path));
        return (response, HtmlForm.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>Submits the form holding the element with <c>data-test="{hook}"</c> by clicking it.</summary>
    public async Task<HttpResponseMessage> ClickAsync(IHtmlDocument page, string path, string hook, Action<HtmlForm>? fill = null)
    {
        var form = HtmlForm.Find(page, Start(path), $"[data-test='{hook}']");
        fill?.Invoke(form);
        return await Http.SendAsync(form.Submit(hook));
    }
}

/// <summary>Where a link/unlink left the user: the profile page, its status message, the flow that ran.</summary>
public sealed record LinkResult(HttpResponseMessage Response, IHtmlDocument Page, string? Flow, Uri? Authorize)
{
    public string? Status => Page.QuerySelector("[data-test='status-message']")?.TextContent.Trim();
    public bool HasIdentity(string provider, string userId) => Page.QuerySelector($"[data-test='identity-{provider}-{userId}']") is not null;

    public static async Task<LinkResult> ReadAsync(HttpResponseMessage response, string? flow, Uri? authorize) =>
        new(response, HtmlForm.Parse(await response.Content.ReadAsStringAsync()), flow, authorize);
}
