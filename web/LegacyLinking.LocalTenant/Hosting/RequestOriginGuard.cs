using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Net.Http.Headers;

namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>
/// The tenant is a door on a developer's machine; this keeps web pages from walking through it.
/// <para><b>Host</b>, on every route: only the tenant's own URL (<c>LocalTenant:Url</c>), the loopback names on its
/// port, and the names in <c>LocalTenant:AllowedHosts</c> (e.g. behind a proxy). A DNS-rebinding page re-points its
/// own name at 127.0.0.1, so its requests carry its own name in <c>Host</c>: they get a 421 before anything runs, which
/// stops it reaching <c>/oauth/token</c> with the documented development secret. The name judged is the one the tenant
/// was sent, not a proxy's <c>X-Forwarded-Host</c> (<see cref="ProxySetup.ArrivedAs"/>): with a proxy on loopback, a
/// rebound page could otherwise name the tenant in a forwarded header of its own.</para>
/// <para><b>Origin</b>, on the state changes that ride on the tenant's cookies or drive its developer tools (the login,
/// sign-up and password pages, the dashboard, <c>/test/*</c>): a browser's <c>Origin</c> must be the tenant's own, else
/// 403 — behind a proxy, the public origin it forwarded is the tenant's own too. The tenant's pages send <c>Referrer-Policy: no-referrer</c>, under which a browser sends <c>Origin: null</c>
/// even for a same-origin form, so a <c>null</c> origin is judged by <c>Sec-Fetch-Site</c> instead (only
/// <c>same-origin</c> or <c>none</c> pass). The protocol endpoints other sites use by design are left to their
/// credentials and parameters: <c>/oauth/token</c>, <c>/userinfo</c>, <c>/api/v2</c>, <c>/dbconnections</c>, the legacy
/// <c>/unlink</c> (a bearer, a secret or a token in the body, which a cross-site page does not have), and
/// <c>/authorize</c> and logout (an application's pages may post to them; <c>state</c> and the allowed URLs guard them).</para>
/// </summary>
public sealed class RequestOriginGuard(RequestDelegate next, IConfiguration configuration)
{
    public const string AllowedHostsKey = "LocalTenant:AllowedHosts";

    private static readonly string[] LoopbackNames = ["127.0.0.1", "[::1]", "localhost"];
    private static readonly string[] CrossOriginEndpoints =
        ["/oauth", "/userinfo", "/api", "/dbconnections", "/unlink", "/login/unlink", "/authorize", "/v2/logout", "/oidc/logout"];

    private readonly AllowedNames _allowed = AllowedNames.From(configuration);

    public Task InvokeAsync(HttpContext http)
    {
        var arrival = ProxySetup.ArrivedAs(http);
        if (!_allowed.Contains(arrival.Host.Host, arrival.Host.Port ?? (arrival.Scheme == "https" ? 443 : 80)))
            return RefuseAsync(http, StatusCodes.Status421MisdirectedRequest,
                "This local tenant does not serve that host name. Use its configured URL.");
        if (IsStateChange(http.Request) && !CrossOriginEndpoints.Any(p => http.Request.Path.StartsWithSegments(p))
            && IsCrossSite(http))
            return RefuseAsync(http, StatusCodes.Status403Forbidden, "Cross-site requests to this page are not accepted.");
        return next(http);
    }

    /// <summary>The names this tenant answers to: exact <c>host:port</c>s, and hosts on any port.</summary>
    private sealed record AllowedNames(HashSet<string> Authorities, HashSet<string> AnyPort)
    {
        /// <summary>The configured URL's host and the loopback names, on its port; and <see cref="AllowedHostsKey"/>.</summary>
        public static AllowedNames From(IConfiguration configuration)
        {
            var url = LocalTenantApp.UrlOf(configuration);
            var names = new AllowedNames(new(StringComparer.OrdinalIgnoreCase), new(StringComparer.OrdinalIgnoreCase));
            foreach (var name in LoopbackNames.Append(url.Host)) names.Authorities.Add(Key(name, url.Port));
            foreach (var entry in configuration.GetSection(AllowedHostsKey).GetChildren().Select(c => c.Value?.Trim()))
            {
                if (string.IsNullOrEmpty(entry)) continue;
                var host = HostString.FromUriComponent(entry);
                if (string.IsNullOrEmpty(host.Host) || entry.Contains('/') || entry.Contains('*'))
                    throw new InvalidOperationException(
                        $"Configuration '{AllowedHostsKey}' is invalid: got '{entry}', expected a host name with an optional :port.");
                if (host.Port is { } port) names.Authorities.Add(Key(host.Host, port));
                else names.AnyPort.Add(Bare(host.Host));
            }
            return names;
        }

        public bool Contains(string host, int port) => AnyPort.Contains(Bare(host)) || Authorities.Contains(Key(host, port));

        private static string Key(string host, int port) => $"{Bare(host)}:{port}";

        private static string Bare(string host) => host.Trim('[', ']');
    }

    /// <summary>A browser's request from another origin (one without <c>Origin</c>, e.g. a script or curl, is not judged here).</summary>
    private bool IsCrossSite(HttpContext http)
    {
        var request = http.Request;
        if (request.Headers.Origin is not { Count: > 0 } origin) return false;
        if (origin.ToString() != "null") return !IsOwnOrigin(http, origin.ToString());
        return request.Headers["Sec-Fetch-Site"].ToString() is not ("same-origin" or "none");
    }

    private bool IsOwnOrigin(HttpContext http, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && (_allowed.Contains(uri.Host, uri.Port) || ProxySetup.CameThroughProxy(http) && IsPublicOrigin(http.Request, uri));

    /// <summary>The scheme and host a known proxy forwarded: the address a browser used to reach the tenant's pages.</summary>
    private static bool IsPublicOrigin(HttpRequest request, Uri origin) =>
        origin.Scheme == request.Scheme
        && string.Equals(origin.Host.Trim('[', ']'), request.Host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
        && origin.Port == (request.Host.Port ?? (request.Scheme == "https" ? 443 : 80));

    private static bool IsStateChange(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));

    private static Task RefuseAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        http.Response.Headers[HeaderNames.CacheControl] = "no-store";
        return http.Response.WriteAsync(message);
    }
}

public static class RequestOriginGuardSetup
{
    public static IApplicationBuilder UseTenantRequestOriginGuard(this IApplicationBuilder app) => app.UseMiddleware<RequestOriginGuard>();
}
