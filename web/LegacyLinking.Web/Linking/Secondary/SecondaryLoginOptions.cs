using System.Globalization;
using System.Security.Claims;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Linking.Secondary;

/// <summary>
/// The second OpenID Connect handler: it authenticates the account to link afresh (<c>prompt=login</c>,
/// <c>max_age=0</c>) and validates its ID token (RS256 signature via JWKS, issuer, audience, expiry, nonce, state bound
/// to this browser). Its result is never signed in: the callback only stashes what came back
/// (<see cref="LinkCallbackResults"/>) and redirects to the profile page, which finishes the link as it finishes an
/// unlink. The primary's session is never replaced.
/// </summary>
public sealed class SecondaryLoginOptions(Auth0Tenant tenant) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    // Parameters passed per challenge; never persisted in state (the legacy access_token especially).
    private static readonly string[] ForwardedParameters = ["connection", "login_hint", "access_token"];

    /// <summary>The profile page's handler that finishes a link; its <c>attempt</c> names the stashed result.</summary>
    public const string FinishHandler = "LinkCallback";

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name != AuthSchemes.Auth0Link) return;

        // Only what a link reads: sub, email_verified (a suggestion's account must have a verified email) and auth_time.
        TenantOidc.Apply(options, tenant, "/link/callback", AppCookies.Prefix + "link_", ["openid", "email"]);
        options.SignInScheme = AuthSchemes.LinkGuard;

        options.Events.OnRedirectToIdentityProvider = context =>
        {
            foreach (var parameter in ForwardedParameters)
                if (context.Properties.Parameters.TryGetValue(parameter, out var value) && value is string text)
                    context.ProtocolMessage.SetParameter(parameter, text);
            return Task.CompletedTask;
        };
        // The handler checks the nonce and the rest of the token response only AFTER TokenValidated, so nothing may
        // act there: keep the raw ID token, and stash once the ticket is complete (TicketReceived), when every check ran.
        options.Events.OnTokenValidated = context =>
        {
            context.HttpContext.Items[RawIdTokenItem] = context.TokenEndpointResponse?.IdToken;
            return Task.CompletedTask;
        };
        options.Events.OnTicketReceived = StashLoginAsync;
        options.Events.OnRemoteFailure = StashFailureAsync;
    }

    private const string RawIdTokenItem = "ll.secondary-id-token";

    private static async Task StashLoginAsync(TicketReceivedContext context)
    {
        context.HandleResponse(); // whatever happens next, this login never becomes a session
        var http = context.HttpContext;
        var claims = context.Principal;
        if (await StartedHereAsync(http, context.Properties) is not { } attempt)
        {
            await FinishOnProfileAsync(http, null);
            return;
        }
        if (claims?.FindFirst("sub")?.Value is not { } sub || http.Items[RawIdTokenItem] is not string raw)
        {
            await FinishOnProfileAsync(http, new LinkCallbackResult(attempt, null,
                Failed(http, attempt, Outcomes.Refused, "incomplete_callback", "The link response was incomplete; nothing was linked."),
                await SignedInAsync(http)));
            return;
        }

        // Only a JSON boolean true counts as verified; a string "true" arrives as a string-typed claim.
        var verified = claims.FindFirst("email_verified") is { ValueType: ClaimValueTypes.Boolean, Value: var flag }
            && string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase);
        var authTime = long.TryParse(claims.FindFirst("auth_time")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;
        var login = new SecondaryLogin(sub, raw, verified, authTime);
        await FinishOnProfileAsync(http, new LinkCallbackResult(attempt, login, null, await SignedInAsync(http)));
    }

    /// <summary>
    /// The tenant refused the secondary's login (an <c>error</c> came back: "rejected"), did not redeem its code in
    /// time ("error", tenant_unavailable), or the callback failed the handler's checks (a defective token, an expired
    /// state: "refused"). Either way nothing is linked, the user is told why, and the attempt is recorded like any other
    /// outcome — but only for an attempt this browser's session started: anyone can send a browser to
    /// <c>/link/callback?error=…</c>, with no state or with a state of their own attempt, and such a callback changes
    /// nothing and shows nothing. The tenant's <c>error_description</c> is never shown: it arrives in the URL, like
    /// everything an attacker can write; the user reads the app's own words for a known error code.
    /// </summary>
    private static async Task StashFailureAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        if (await StartedHereAsync(http, context.Properties) is not { } attempt)
        {
            await FinishOnProfileAsync(http, null);
            return;
        }
        var error = context.Request.Query["error"].ToString();
        LinkingOutcome failure;
        if (TenantFailures.IsUnavailable(context.Failure))
        {
            failure = Failed(http, attempt, Outcomes.Error, "tenant_unavailable",
                $"Linking through {attempt.Flow} failed: the identity provider did not answer the second account's sign-in in time; nothing was linked. Try again in a moment.");
        }
        else if (string.IsNullOrEmpty(error))
        {
            failure = Failed(http, attempt, Outcomes.Refused, "invalid_callback", Unverified);
        }
        else
        {
            var code = TenantErrors.Known(error);
            http.RequestServices.GetRequiredService<ILogger<SecondaryLoginOptions>>().LogInformation(
                "The tenant refused the secondary login of link attempt {Attempt} ({Flow}): {Error}: {Description}",
                attempt.Id, attempt.Flow, code, TenantErrors.Clean(context.Request.Query["error_description"], 240));
            failure = Failed(http, attempt, Outcomes.Rejected, code,
                $"Linking through {attempt.Flow} failed: the tenant refused the second account's sign-in ({code}); nothing was linked.");
        }
        await FinishOnProfileAsync(http, new LinkCallbackResult(attempt, null, failure, await SignedInAsync(http)));
    }

    /// <summary>
    /// The attempt the callback's state names, when this browser's session started it and has not finished it; null for
    /// a callback without a readable state, another browser's or an attacker's attempt, or one already finished.
    /// </summary>
    private static async Task<LinkAttempt?> StartedHereAsync(HttpContext http, AuthenticationProperties? properties)
    {
        if (LinkAttempt.ReadFrom(properties) is not { } attempt) return Ignored(http, null);
        await http.Session.LoadAsync(http.RequestAborted);
        return PendingAttempts.IsPending(http.Session, attempt.Id) ? attempt : Ignored(http, attempt.Id);
    }

    private static LinkAttempt? Ignored(HttpContext http, string? attemptId)
    {
        http.RequestServices.GetRequiredService<ILogger<SecondaryLoginOptions>>().LogWarning(
            "A link callback that belongs to no attempt of this session was ignored (attempt {Attempt}).", attemptId ?? "unreadable");
        return null;
    }

    /// <summary>What the user reads when the callback cannot be tied to a link this browser started.</summary>
    public const string Unverified =
        "The second account's sign-in could not be verified (replayed, forged, expired or from another browser); nothing was linked.";

    private static LinkingOutcome Failed(HttpContext http, LinkAttempt attempt, string outcome, string code, string message) =>
        new(LinkingService.Link, attempt.Flow, attempt.Reason, outcome, null, code, message,
            http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow() - attempt.StartedAt);

    private static async Task<bool> SignedInAsync(HttpContext http) => await UserSession.GetPrimaryAsync(http) is not null;

    /// <summary>
    /// Stashes the result and sends the browser to the profile page's finish; a callback of no attempt of this session
    /// goes to the profile page as it is.
    /// </summary>
    private static async Task FinishOnProfileAsync(HttpContext http, LinkCallbackResult? result)
    {
        if (result is null)
        {
            http.Response.Redirect($"{http.Request.PathBase}/Profile");
            return;
        }
        await http.RequestServices.GetRequiredService<LinkCallbackResults>().StashAsync(http, result);
        FlowHeader.Set(http.Response, result.Attempt.Flow);
        http.Response.Redirect($"{http.Request.PathBase}/Profile?handler={FinishHandler}&attempt={Uri.EscapeDataString(result.Attempt.Id)}");
    }
}
