using Microsoft.AspNetCore;
using LegacyLinking.LocalTenant.Sessions;
using Microsoft.AspNetCore.Http;
using OpenIddict.Server.AspNetCore;

namespace LegacyLinking.LocalTenant.Oidc;

/// <summary>
/// <c>/v2/logout</c> (and <c>/oidc/logout</c>): OpenIddict has already checked <c>returnTo</c> against the client's
/// allowed logout URLs (an unknown one never reaches here: it renders the error page). Ends the tenant session, then
/// returns to the client or shows the signed-out page.
/// </summary>
public static class LogoutEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, TenantSessions sessions)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict end session request is missing.");
        await sessions.EndAsync(http);

        return string.IsNullOrEmpty(request.PostLogoutRedirectUri)
            ? Results.Redirect(http.Request.PathBase + "/logged-out")
            : Results.SignOut(properties: null, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
