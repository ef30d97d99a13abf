using Microsoft.AspNetCore;
using LegacyLinking.LocalTenant.Logs;
using LegacyLinking.LocalTenant.Sessions;
using Microsoft.AspNetCore.Http;
using OpenIddict.Server.AspNetCore;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>
/// <c>/v2/logout</c> (and <c>/oidc/logout</c>): OpenIddict has already checked <c>returnTo</c> against the client's
/// allowed logout URLs (an unknown one never reaches here: it renders the error page). Ends the tenant session (an
/// <c>slo</c> log event when there was one), then returns to the client or shows the signed-out page.
/// </summary>
public static class LogoutEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, TenantSessions sessions, LoginEvents events)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict end session request is missing.");
        var session = await sessions.GetCurrentAsync(http);
        await sessions.EndAsync(http);
        if (session is not null) await events.LoggedOutAsync(session.UserId, session.Connection, request.ClientId);

        return string.IsNullOrEmpty(request.PostLogoutRedirectUri)
            ? Results.Redirect(http.Request.PathBase + "/logged-out")
            : Results.SignOut(properties: null, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
