using System.Text.RegularExpressions;
using LegacyLinking.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace LegacyLinking.Web.Authentication;

/// <summary>
/// Configures the primary OpenID Connect handler from <see cref="Auth0Tenant"/> the way Auth0's ASP.NET Core SDK does:
/// code flow with PKCE, callback <c>/callback</c>, issuer with the trailing slash, tokens kept server-side, the
/// Management API audience requested, and logout through Auth0's <c>/v2/logout</c>.
/// </summary>
public sealed partial class Auth0OidcOptions(Auth0Tenant tenant, TenantTrust trust) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    // Only the user-scoped Management API permissions; update:users never reaches a browser-initiated token.
    public static readonly string[] Scopes =
        ["openid", "profile", "email", "offline_access", "read:current_user", "update:current_user_identities", "update:current_user_metadata"];

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name != AuthSchemes.Auth0) return;

        TenantOidc.Apply(options, tenant, trust, "/callback", AuthSchemes.CookiePrefix, Scopes);
        options.SignInScheme = AuthSchemes.Cookie;
        options.SaveTokens = true; // into the server-side ticket store, never the browser
        options.ClaimActions.Remove("auth_time"); // kept: starting a link needs a recent primary sign-in

        options.Events.OnRedirectToIdentityProvider = context =>
        {
            context.ProtocolMessage.SetParameter("audience", tenant.Audience);
            return Task.CompletedTask;
        };
        options.Events.OnRedirectToIdentityProviderForSignOut = context =>
        {
            // Auth0 ends its session at /v2/logout; returnTo must be one of the client's Allowed Logout URLs.
            var request = context.Request;
            var returnTo = $"{request.Scheme}://{request.Host}{request.PathBase}/";
            var logout = $"{tenant.AuthorityText}/v2/logout?client_id={Uri.EscapeDataString(tenant.ClientId)}&returnTo={Uri.EscapeDataString(returnTo)}";
            context.Response.Redirect(logout);
            context.HandleResponse();
            return Task.CompletedTask;
        };
        options.Events.OnRemoteFailure = context =>
        {
            // A failed or forged callback is the caller's problem (4xx), never a 500; the page names only the OAuth error code.
            var code = context.Failure is OpenIdConnectProtocolException
                && context.Request.Query["error"].ToString() is { } error && OAuthErrorCode().IsMatch(error)
                ? error
                : "invalid_callback";
            context.Response.Redirect($"{context.Request.PathBase}/Account/SignInFailed?error={code}");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    [GeneratedRegex("^[a-z_]{1,64}$")]
    private static partial Regex OAuthErrorCode();
}
