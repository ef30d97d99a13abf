using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.WebUtilities;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// Drives the tenant's login page over HTTP like a person in a browser. Start from an <c>/authorize</c> URL, or from
/// an app URL that redirects there: the driver follows redirects, fills the form for one connection, and stops at the
/// first response that leaves the tenant (the redirect or form_post to the client's redirect_uri), which it returns
/// without delivering. Share the HttpClient (and its cookies) with the rest of the test to keep one "browser".
/// </summary>
public sealed class TenantLoginDriver(HttpClient http, Uri tenant)
{
    public const string DatabaseConnection = "Username-Password-Authentication";

    /// <summary>Follows <paramref name="start"/> to wherever it lands: the login page, or straight back to the client when a session answers.</summary>
    public async Task<TenantStep> OpenAsync(Uri start) => await FollowAsync(new HttpRequestMessage(HttpMethod.Get, start));

    public Task<TenantStep> LoginWithPasswordAsync(Uri start, string email, string password) =>
        SubmitAsync(start, DatabaseConnection, form => form.Set("email", email).Set("password", password), "submit");

    public Task<TenantStep> SignUpAsync(Uri start, string email, string password) =>
        SubmitAsync(start, DatabaseConnection, form => form.Set("email", email).Set("password", password), "signup");

    /// <summary>Clicks "continue as" for a seeded social identity (<paramref name="sub"/> as <c>provider|id</c>).</summary>
    public async Task<TenantStep> ContinueAsAsync(Uri start, string sub)
    {
        var page = await ExpectLoginPageAsync(start);
        return await FollowAsync(page.Form($"[data-test='continue-as-{sub}']").Submit($"continue-as-{sub}"));
    }

    /// <summary>Passwordless: enters the phone, reads the code the local tenant shows, enters it.</summary>
    public async Task<TenantStep> LoginWithSmsAsync(Uri start, string phone)
    {
        var codePage = await SubmitAsync(start, "sms", form => form.Set("phone", phone), "submit");
        var code = codePage.Page?.QuerySelector("[data-test='otp-code']")?.TextContent.Trim()
            ?? throw new InvalidOperationException($"No code was shown after entering the phone: {codePage}");
        var section = codePage.Section("sms");
        return await FollowAsync(HtmlForm.Find(section, codePage.Uri, "[data-test='otp']").Set("otp", code).Submit("submit"));
    }

    /// <summary>Opens the login page (or fails), fills one connection's form and submits it with the given button.</summary>
    public async Task<TenantStep> SubmitAsync(Uri start, string connection, Func<HtmlForm, HtmlForm> fill, string button)
    {
        var page = await ExpectLoginPageAsync(start);
        var form = fill(HtmlForm.Find(page.Section(connection), page.Uri, "form"));
        return await FollowAsync(form.Submit(button));
    }

    public async Task<TenantStep> ExpectLoginPageAsync(Uri start)
    {
        var step = await OpenAsync(start);
        return step.IsLoginPage ? step : throw new InvalidOperationException($"Expected the tenant login page, got {step}");
    }

    /// <summary>Sends the request and follows redirects until a tenant page, or until a response leaves the tenant.</summary>
    public async Task<TenantStep> FollowAsync(HttpRequestMessage request)
    {
        var visitedTenant = false;
        for (var hop = 0; hop < 20; hop++)
        {
            var uri = request.RequestUri!;
            visitedTenant |= TestBrowser.SameOrigin(uri, tenant);
            var response = await http.SendAsync(request);
            var target = TestBrowser.RedirectTarget(response);
            if (target is not null && !(visitedTenant && !TestBrowser.SameOrigin(target, tenant)))
            {
                request = new HttpRequestMessage(HttpMethod.Get, target);
                continue;
            }
            var html = response.Content.Headers.ContentType?.MediaType == "text/html"
                ? HtmlForm.Parse(await response.Content.ReadAsStringAsync())
                : null;
            return new TenantStep(uri, response, target, html);
        }
        throw new InvalidOperationException("More than 20 redirects: a redirect loop.");
    }
}

/// <summary>Where a driver step ended: a tenant page, or the response that hands the result back to the client.</summary>
public sealed record TenantStep(Uri Uri, HttpResponseMessage Response, Uri? RedirectTarget, IHtmlDocument? Page)
{
    public HttpStatusCode Status => Response.StatusCode;

    public bool IsLoginPage => Page?.QuerySelector("[data-test^='connection-']") is not null;

    /// <summary>The form_post response's auto-submitting form, when the client asked for <c>response_mode=form_post</c>.</summary>
    public IHtmlFormElement? FormPost => RedirectTarget is null && !IsLoginPage
        ? Page?.QuerySelectorAll("form").OfType<IHtmlFormElement>().FirstOrDefault(f => Uri.TryCreate(f.Action, UriKind.Absolute, out _))
        : null;

    /// <summary>The authorization response's parameters (code, state, error, …) from the redirect's query or the form_post body.</summary>
    public IReadOnlyDictionary<string, string> Parameters =>
        RedirectTarget is { } target
            ? QueryHelpers.ParseQuery(target.Query).ToDictionary(p => p.Key, p => p.Value.ToString())
            : FormPost?.Elements.OfType<IHtmlInputElement>().Where(i => !string.IsNullOrEmpty(i.Name))
                .ToDictionary(i => i.Name!, i => i.Value) ?? new Dictionary<string, string>();

    public string? Code => Parameters.GetValueOrDefault("code");
    public string? State => Parameters.GetValueOrDefault("state");
    public string? Error => Parameters.GetValueOrDefault("error");

    /// <summary>The text of the page's <c>data-test="error"</c> element.</summary>
    public string? PageError => Page?.QuerySelector("[data-test='error']")?.TextContent.Trim();

    public AngleSharp.Dom.IElement Section(string connection) =>
        Page?.QuerySelector($"[data-test='connection-{connection}']")
        ?? throw new InvalidOperationException($"The page has no '{connection}' section: {this}");

    public HtmlForm Form(string selector) => HtmlForm.Find(Page ?? throw new InvalidOperationException("Not a page."), Uri, selector);

    /// <summary>Delivers the result to the client as the browser would (GET the redirect, or POST the form_post form).</summary>
    public Task<HttpResponseMessage> DeliverAsync(HttpClient client)
    {
        if (RedirectTarget is { } target) return client.GetAsync(target);
        if (FormPost is { } form)
            return client.PostAsync(form.Action, new FormUrlEncodedContent(Parameters));
        throw new InvalidOperationException($"Nothing to deliver: {this}");
    }

    public override string ToString() =>
        $"{(int)Status} {Uri} -> {RedirectTarget?.ToString() ?? (Page is null ? "(no page)" : PageError ?? Page.Title)}";
}
