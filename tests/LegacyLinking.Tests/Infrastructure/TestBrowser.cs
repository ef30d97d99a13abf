using System.Net;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>HttpClients that behave like one browser: a shared cookie jar, redirects left to the caller.</summary>
public static class TestBrowser
{
    public static HttpClient Create(Uri? baseAddress = null, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = cookies ?? new CookieContainer(),
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The absolute target of a redirect (Location may be relative).</summary>
    public static Uri? RedirectTarget(HttpResponseMessage response) =>
        (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location
            ? location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location)
            : null;

    public static bool SameOrigin(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
