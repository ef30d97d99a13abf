using System.Security.Claims;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.Profile;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Pages.Profile;

/// <summary>The user's identities: link (starts the second account's login), unlink, suggestions, recent attempts.</summary>
public sealed class IndexModel(ProfileReader profiles, LinkingService linking, AttemptLog attempts, SessionEpochs sessions, IOptions<LinkingOptions> options, TimeProvider clock) : PageModel
{
    public UserProfile? Profile { get; private set; }
    public string? LoadError { get; private set; }
    public IReadOnlyList<string> Connections => options.Value.EffectiveConnections;
    public IReadOnlyList<AttemptRow> RecentAttempts { get; private set; } = [];

    [TempData] public string? StatusMessage { get; set; }
    [TempData] public string? LastFlow { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (LastFlow is not null) Response.Headers["X-Linking-Flow"] = LastFlow;
        try
        {
            Profile = await profiles.ReadAsync(User.FindFirstValue("sub")!, cancellationToken);
        }
        catch (ApiException e)
        {
            // The tenant refused or did not answer: say so plainly (a real tenant may lack a grant such as read:users).
            Response.StatusCode = StatusCodes.Status502BadGateway;
            LoadError = e switch
            {
                ErrorApiException api => $"The tenant answered {(int)api.StatusCode} ({api.ApiError.ErrorCode ?? api.ApiError.Error}): {api.ApiError.Message}",
                RateLimitApiException => "The tenant is rate-limiting requests; try again in a moment.",
                _ => e.Message,
            };
        }
        await HttpContext.Session.LoadAsync(cancellationToken);
        RecentAttempts = AttemptLog.Read(HttpContext.Session);
    }

    public async Task<IActionResult> OnPostLinkAsync(string? connection, string? targetUserId, CancellationToken cancellationToken)
    {
        var primary = await UserSession.GetPrimaryAsync(HttpContext);
        if (primary is null) return Challenge();
        if (!UserSession.SignedInWithin(User, TimeSpan.FromSeconds(options.Value.PrimaryReauthenticationSeconds), clock))
        {
            // Re-authenticate the primary first; the user starts the link again from a fresh session.
            StatusMessage = "Confirm it's you: you signed in a while ago, so sign in again and then link the account.";
            return Challenge(new OpenIdConnectChallengeProperties { Prompt = "login", MaxAge = TimeSpan.Zero, RedirectUri = Url.Page("/Profile/Index") }, AuthSchemes.Auth0);
        }
        await HttpContext.Session.LoadAsync(cancellationToken);
        var start = await linking.StartLinkAsync(primary, HttpContext.Session, connection, targetUserId, cancellationToken);
        if (start.Challenge is { } challenge)
        {
            Response.Headers["X-Linking-Flow"] = LinkAttemptFlow(challenge);
            return Challenge(challenge, AuthSchemes.Auth0Link);
        }
        return await FinishAsync(start.Refusal!, primary.UserId);
    }

    public async Task<IActionResult> OnPostUnlinkAsync(string? provider, string? userId, CancellationToken cancellationToken)
    {
        var primary = await UserSession.GetPrimaryAsync(HttpContext);
        if (primary is null) return Challenge();
        return await FinishAsync(await linking.UnlinkAsync(primary, provider, userId, cancellationToken), primary.UserId);
    }

    private async Task<IActionResult> FinishAsync(LinkingOutcome outcome, string userId)
    {
        await attempts.RecordAsync(HttpContext, outcome, userId);
        await sessions.IdentitiesChangedAsync(HttpContext, outcome, userId);
        Response.Headers["X-Linking-Flow"] = outcome.Flow;
        StatusMessage = outcome.StatusMessage;
        LastFlow = outcome.Flow;
        return RedirectToPage();
    }

    private static string? LinkAttemptFlow(Microsoft.AspNetCore.Authentication.AuthenticationProperties properties) =>
        Linking.Secondary.LinkAttempt.ReadFrom(properties)?.Flow;
}
