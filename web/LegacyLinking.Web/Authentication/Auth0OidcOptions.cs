using System.Text.RegularExpressions;
using LegacyLinking.Web.Auth0;
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
public sealed partial class Auth0OidcOptions(Auth0Tenant tenant) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    // Only the user-scoped Management API permissions; update:users never reaches a browser-initiated token.
    public static readonly string[] Scopes =
        ["openid", "profile", "email", "offline_access", "read:current_user", "update:current_user_identities", "update:current_user_metadata"];

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name != AuthSchemes.Auth0) return;

        TenantOidc.Apply(options, tenant, "/callback", AppCookies.Prefix, Scopes);
        options.SignInScheme = AuthSchemes.Cookie;
        options.SaveTokens = true; // into the server-side ticket store, never the browser

        options.Events.OnRedirectToIdentityProvider = context =>
        {
            context.ProtocolMessage.SetParameter("audience", tenant.Audience);
            FreshSignInMarker.Apply(context);
            return Task.CompletedTask;
        };
        options.Events.OnTokenValidated = RefuseSignInsFromBeforeACutAsync;
        options.Events.OnTicketReceived = context => SessionKeyRotation.ForgetPreviousSessionAsync(context.HttpContext);
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
            // A failed or forged callback is the caller's problem (4xx), never a 500; the page names only the OAuth error
            // code. A code the tenant did not redeem in time (or answered with a 5xx) is the tenant's: OAuth's own
            // temporarily_unavailable, so the page says the identity provider did not answer.
            var code = TenantFailures.IsUnavailable(context.Failure) ? "temporarily_unavailable"
                : context.Failure is OpenIdConnectProtocolException
                  && context.Request.Query["error"].ToString() is { } error && OAuthErrorCode().IsMatch(error)
                    ? error
                    : "invalid_callback";
            context.Response.Redirect($"{context.Request.PathBase}/Account/SignInFailed?error={code}");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    /// <summary>The sign-in failure said when the tenant answered the app's fresh challenge with a login from before a cut.</summary>
    public const string StaleLogin = "stale_login";

    /// <summary>
    /// A login older than its user's cut (the tenant's session in a browser whose app session was ended, even one that
    /// dropped the app's cookies) does not become a session: the browser is sent to sign in afresh. A tenant that answers
    /// the app's fresh challenge with an old login anyway gets a failed sign-in, not a loop.
    /// </summary>

    private static async Task RefuseSignInsFromBeforeACutAsync(TokenValidatedContext context)
    {
        var http = context.HttpContext;
        var askedFresh = context.Properties?.Items.ContainsKey(UserSession.FreshSignInItem) == true;
        var sessions = http.RequestServices.GetRequiredService<SessionEpochs>();
        if (context.Principal is null || !await sessions.SignInPredatesCutAsync(context.Principal, askedFresh, http.RequestAborted)) return;
        FreshSignInMarker.Set(http);
        var returnUrl = context.Properties?.RedirectUri is { } target && target.StartsWith('/') ? target : "/Profile";
        context.Response.Redirect(askedFresh
            ? $"{http.Request.PathBase}/Account/SignInFailed?error={StaleLogin}"
            : $"{http.Request.PathBase}/Account/Login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        context.HandleResponse();
    }

    [GeneratedRegex("^[a-z_]{1,64}$")]
    private static partial Regex OAuthErrorCode();
}
