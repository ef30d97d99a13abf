using Microsoft.AspNetCore;
using System.Globalization;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.LocalTenant.Legacy;
using LegacyLinking.LocalTenant.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>
/// <c>/authorize</c> after OpenIddict validated the protocol (client, redirect_uri, PKCE, response type/mode): decides
/// whether the user must sign in first, then issues the code for the session's primary user.
/// </summary>
public static class AuthorizeEndpoint
{
    /// <summary>
    /// Added to the return URL when we send the browser to the login page: a session whose auth_time is at or after it
    /// is the fresh login that answers this request, so <c>prompt=login</c> / <c>max_age=0</c> do not loop.
    /// </summary>
    public const string LoginStartedParameter = "ll_login_started";

    public static async Task<IResult> HandleAsync(
        HttpContext http, TenantSessions sessions, TenantDbContext db, TenantPrincipals principals, TenantUrls urls,
        TimeProvider clock, AuthorizeLinking legacyLinking)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict authorization request is missing.");
        // The deprecated access_token parameter is refused or checked before anyone signs in.
        var linkTarget = await legacyLinking.ReadAsync(request, http.RequestAborted);
        if (linkTarget.Error is { } refused) return refused;

        var connection = (string?)request["connection"];
        if (!string.IsNullOrEmpty(connection) && !await db.Connections.AnyAsync(c => c.Name == connection))
            return OidcResults.Error(Errors.InvalidRequest, $"the connection was not found: {connection}");

        var audience = (string?)request[Auth0CompatibilityHandlers.AudienceParameter];
        var managementAudience = audience == urls.ManagementAudience;
        if (!string.IsNullOrEmpty(audience) && !managementAudience)
            return OidcResults.Error(Errors.AccessDenied, $"Service not found: {audience}");

        var session = await sessions.GetCurrentAsync(http);
        if (session is null || MustSignIn(http, request, session, connection, clock.GetUtcNow()))
        {
            return request.HasPromptValue(PromptValues.None)
                ? OidcResults.Error(Errors.LoginRequired, "Login required")
                : Results.Redirect(LoginUrl(http, clock.GetUtcNow()));
        }

        if (!Auth0Ids.TrySplit(session.IdentitySub, out var provider, out var providerUserId))
            return await SignInAgainAsync(http, sessions, clock);
        var identity = await db.Identities.Include(i => i.User)
            .SingleOrDefaultAsync(i => i.Provider == provider && i.ProviderUserId == providerUserId);
        if (identity?.User is null) return await SignInAgainAsync(http, sessions, clock);
        if (identity.User.Blocked) return OidcResults.Error(Errors.AccessDenied, "user is blocked");

        var user = identity.User;
        if (linkTarget.Requested)
        {
            var (primary, failed) = await legacyLinking.LinkAsync(linkTarget, identity, request.ClientId!, http.RequestAborted);
            if (failed is not null) return failed;
            user = primary!;
        }

        var scopes = TenantScopes.Grant(request.GetScopes(), managementAudience);
        var resources = new List<string>();
        if (managementAudience) resources.Add(urls.ManagementAudience);
        if (scopes.Contains(Scopes.OpenId) || resources.Count == 0) resources.Add(urls.UserInfoAudience);

        return OidcResults.SignIn(principals.ForUser(user, session, request.ClientId!, scopes, resources));
    }

    private static bool MustSignIn(
        HttpContext http, OpenIddictRequest request, CurrentSession session, string? connection, DateTimeOffset now)
    {
        if (long.TryParse((string?)request[LoginStartedParameter], NumberStyles.None, CultureInfo.InvariantCulture, out var started)
            && session.AuthTime.ToUnixTimeSeconds() >= started)
            return false;
        if (request.HasPromptValue(PromptValues.Login)) return true;
        if (request.MaxAge is { } maxAge && (maxAge == 0 || (now - session.AuthTime).TotalSeconds > maxAge)) return true;
        // A session from another connection does not answer a request for this one (e.g. linking a second account).
        return !string.IsNullOrEmpty(connection) && connection != session.Connection;
    }

    private static async Task<IResult> SignInAgainAsync(HttpContext http, TenantSessions sessions, TimeProvider clock)
    {
        await sessions.EndAsync(http);
        return Results.Redirect(LoginUrl(http, clock.GetUtcNow()));
    }

    /// <summary>The login page, returning to this same authorization request (a POSTed one is replayed as a GET).</summary>
    private static string LoginUrl(HttpContext http, DateTimeOffset now)
    {
        var source = http.Request.HasFormContentType ? (IEnumerable<KeyValuePair<string, StringValues>>)http.Request.Form : http.Request.Query;
        var parameters = source
            .Where(p => p.Key != LoginStartedParameter)
            .Append(new(LoginStartedParameter, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        var returnUrl = http.Request.PathBase + http.Request.Path + QueryString.Create(parameters);
        return http.Request.PathBase + "/login" + QueryString.Create("returnUrl", returnUrl);
    }
}
