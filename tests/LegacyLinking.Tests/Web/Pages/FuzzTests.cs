using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.Web.Pages;

/// <summary>
/// Every page's form fields, query parameters and verbs, with hostile values, through the real app as an anonymous
/// visitor, an end user and a QA user: no answer may be a server error, and no answer may set more than a few
/// kilobytes of cookies (a browser holding more than the server's header limit is locked out).
/// </summary>
public sealed class FuzzTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Pages =
    [
        "/", "/Account/Login", "/Account/Logout", "/Account/SignInFailed", "/Account/AccessDenied", "/Error", "/Profile", "/Qa/Flags",
        "/Migration", "/Migration?handler=Export&format=csv", "/callback", "/link/callback",
    ];

    /// <summary>Query parameters pages read that their own links and forms do not carry.</summary>
    private static readonly string[] KnownParameters = ["handler", "returnUrl", "error", "error_description", "code", "state", "page", "format"];

    private static readonly string[] Verbs = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"];

    public static readonly string[] Hostile =
    [
        "", new string('A', 40_000), "\u0000\u0001\u001f", "<script>alert(1)</script>", "' OR 1=1 --", "%", "😀\uD800", "-1",
        "99999999999999999999", "0001-01-01", "9999-12-31T23:59:59Z", "//evil.example", "\r\nSet-Cookie: x=1", new string('é', 5_000),
    ];

    private readonly List<string> _failures = [];
    private int _requests;

    [Fact]
    public async Task No_page_answers_a_server_error_or_grows_a_cookie_whatever_it_is_sent()
    {
        var anonymous = stack.NewBrowser();
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();

        foreach (var browser in new[] { anonymous, john, qa })
        {
            foreach (var path in Pages)
            {
                foreach (var verb in Verbs) await SendAsync(browser, new HttpRequestMessage(new HttpMethod(verb), path));
                var (_, page) = await browser.GetPageAsync(path);
                foreach (var parameter in KnownParameters.Concat(QueryParametersIn(page)).Distinct())
                foreach (var value in Hostile)
                    await SendAsync(browser, new HttpRequestMessage(HttpMethod.Get, $"{path}{(path.Contains('?') ? '&' : '?')}{parameter}={Uri.EscapeDataString(value)}"));
                foreach (var form in page.QuerySelectorAll("form").OfType<IHtmlFormElement>())
                    await FuzzFormAsync(browser, path, form);
            }
        }

        Assert.True(_requests > 2_000, $"only {_requests} requests were sent");
        Assert.True(_failures.Count == 0, $"{_failures.Count} of {_requests} requests failed:\n" + string.Join("\n", _failures.Take(30)));
        Assert.Equal(HttpStatusCode.OK, (await qa.GetPageAsync("/Qa/Flags")).Response.StatusCode); // still signed in, not locked out
    }

    /// <summary>Each field of the form in turn (the others as the page filled them), with each hostile value, for each submit button.</summary>
    private async Task FuzzFormAsync(AppBrowser browser, string path, IHtmlFormElement form)
    {
        var buttons = form.QuerySelectorAll("button[type=submit], input[type=submit]").Select(b => b.GetAttribute("data-test")).ToList();
        var names = form.Elements.Select(e => e.GetAttribute("name")).OfType<string>().Where(n => n.Length > 0).Distinct().ToList();
        foreach (var button in buttons.Count == 0 ? [null] : buttons)
        foreach (var name in names)
        foreach (var value in Hostile)
        {
            var html = HtmlForm.Of(form, browser.Start(path));
            html.Set(name, value);
            var request = html.Submit(button);
            if (HttpMethods.IsGet(form.Method)) request = new HttpRequestMessage(HttpMethod.Get, request.RequestUri + "?" + await request.Content!.ReadAsStringAsync(Ct));
            await SendAsync(browser, request);
        }
    }

    private static IEnumerable<string> QueryParametersIn(IHtmlDocument page) =>
        page.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).Where(h => h.Contains('?'))
            .SelectMany(h => h[(h.IndexOf('?') + 1)..].Split('&')).Select(p => Uri.UnescapeDataString(p.Split('=')[0]));

    private async Task SendAsync(AppBrowser browser, HttpRequestMessage request)
    {
        _requests++;
        using (request)
        using (var response = await browser.Http.SendAsync(request, Ct))
        {
            var cookies = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.Sum(c => c.Length) : 0;
            if ((int)response.StatusCode >= 500 || cookies > 4_096)
                _failures.Add($"{request.Method} {Shorten(request.RequestUri!.ToString())} → {(int)response.StatusCode}, {cookies} bytes of cookies");
        }
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}

file static class HttpMethods
{
    public static bool IsGet(string method) => string.IsNullOrEmpty(method) || method.Equals("get", StringComparison.OrdinalIgnoreCase);
}
