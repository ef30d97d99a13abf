using System.Globalization;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;
using System.Security.Claims;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace LegacyLinking.Web.Linking.Secondary;

/// <summary>
/// The second OpenID Connect handler: it authenticates the account to link afresh (<c>prompt=login</c>,
/// <c>max_age=0</c>) and validates its ID token (RS256 signature via JWKS, issuer, audience, expiry, nonce, state bound
/// to this browser). Its result is never signed in: the callback links and redirects, so the primary's session is
/// never replaced.
/// </summary>
public sealed class SecondaryLoginOptions(Auth0Tenant tenant) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    // Parameters passed per challenge; never persisted in state (the legacy access_token especially).
    private static readonly string[] ForwardedParameters = ["connection", "login_hint", "access_token"];

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name != AuthSchemes.Auth0Link) return;

        TenantOidc.Apply(options, tenant, "/link/callback", AuthSchemes.CookiePrefix + "link_", ["openid", "profile", "email"]);
        options.SignInScheme = AuthSchemes.LinkGuard;
        options.SaveTokens = false;

        options.Events.OnRedirectToIdentityProvider = context =>
        {
            foreach (var parameter in ForwardedParameters)
                if (context.Properties.Parameters.TryGetValue(parameter, out var value) && value is string text)
                    context.ProtocolMessage.SetParameter(parameter, text);
            context.Response.Headers["X-Linking-Flow"] = LinkAttempt.ReadFrom(context.Properties)?.Flow;
            return Task.CompletedTask;
        };
        // The handler checks the nonce and the rest of the token response only AFTER TokenValidated, so nothing may
        // act there: keep the raw ID token, and link once the ticket is complete (TicketReceived), when every check ran.
        options.Events.OnTokenValidated = context =>
        {
            context.HttpContext.Items[RawIdTokenItem] = context.TokenEndpointResponse?.IdToken;
            return Task.CompletedTask;
        };
        options.Events.OnTicketReceived = CompleteAsync;
        options.Events.OnRemoteFailure = RecordFailureAsync;
    }

    /// <summary>
    /// The tenant refused the secondary's login (an <c>error</c> came back: "rejected"), or the callback failed the
    /// handler's checks (forged, replayed, another browser's, a defective token: "refused"). Either way nothing is
    /// linked, the user is told why, and a started attempt is recorded like any other outcome.
    /// </summary>
    private static async Task RecordFailureAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var attempt = LinkAttempt.ReadFrom(context.Properties);
        var error = context.Request.Query["error"].ToString();
        var flow = attempt?.Flow ?? "the chosen flow";
        var (outcome, code, message) = TenantFailures.IsUnavailable(context.Failure)
            ? (Outcomes.Error, "tenant_unavailable",
                $"Linking through {flow} failed: the identity provider did not answer the second account's sign-in in time; nothing was linked. Try again in a moment.")
            : string.IsNullOrEmpty(error)
            ? (Outcomes.Refused, "invalid_callback",
                "The second account's sign-in could not be verified (replayed, forged, expired or from another browser); nothing was linked.")
            : (Outcomes.Rejected, Clean(error, 64),
                $"Linking through {flow} failed: the tenant refused the second account's sign-in ({Clean(error, 64)}: {Clean(context.Request.Query["error_description"], 240)}); nothing was linked.");
        if (attempt is not null)
        {
            var clock = http.RequestServices.GetRequiredService<TimeProvider>();
            var recorded = new LinkingOutcome(LinkingService.Link, attempt.Flow, attempt.Reason, outcome, null, code, message,
                clock.GetUtcNow() - attempt.StartedAt);
            await http.RequestServices.GetRequiredService<AttemptLog>().RecordAsync(http, recorded, attempt.PrimaryUserId);
        }
        Finish(http, attempt?.Flow, "Error: " + message);
    }

    /// <summary>Tenant-supplied text shown to the user: bounded, single-line (Razor encodes it when shown).</summary>
    private static string Clean(string? text, int max)
    {
        var line = new string((text ?? "").Where(c => !char.IsControl(c)).ToArray());
        return line.Length <= max ? line : line[..max] + "…";
    }

    private const string RawIdTokenItem = "ll.secondary-id-token";

    private static async Task CompleteAsync(TicketReceivedContext context)
    {
        var http = context.HttpContext;
        var attempt = LinkAttempt.ReadFrom(context.Properties);
        var claims = context.Principal;
        var raw = context.HttpContext.Items[RawIdTokenItem] as string;
        context.HandleResponse(); // whatever happens next, this login never becomes a session
        if (attempt is null || claims?.FindFirst("sub")?.Value is not { } sub || raw is null)
        {
            Finish(http, attempt?.Flow, "Error: The link response was incomplete; nothing was linked.");
            return;
        }

        // Only a JSON boolean true counts as verified; a string "true" arrives as a string-typed claim.
        var verified = claims.FindFirst("email_verified") is { ValueType: ClaimValueTypes.Boolean, Value: var flag }
            && string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase);
        var authTime = long.TryParse(claims.FindFirst("auth_time")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;
        var secondary = new SecondaryLogin(sub, raw, claims.FindFirst("email")?.Value, verified, authTime);
        var linking = http.RequestServices.GetRequiredService<LinkingService>();
        await http.Session.LoadAsync(http.RequestAborted);
        var outcome = await linking.CompleteLinkAsync(await UserSession.GetPrimaryAsync(http), http.Session, attempt, secondary, http.RequestAborted);
        await http.RequestServices.GetRequiredService<AttemptLog>().RecordAsync(http, outcome, attempt.PrimaryUserId);
        await http.RequestServices.GetRequiredService<SessionEpochs>().IdentitiesChangedAsync(http, outcome, attempt.PrimaryUserId);
        Finish(http, outcome.Flow, outcome.StatusMessage);
    }

    private static void Finish(HttpContext http, string? flow, string statusMessage)
    {
        var tempData = http.RequestServices.GetRequiredService<ITempDataDictionaryFactory>().GetTempData(http);
        tempData["StatusMessage"] = statusMessage;
        if (flow is not null)
        {
            tempData["LastFlow"] = flow;
            http.Response.Headers["X-Linking-Flow"] = flow;
        }
        tempData.Save();
        http.Response.Redirect($"{http.Request.PathBase}/Profile");
    }
}
