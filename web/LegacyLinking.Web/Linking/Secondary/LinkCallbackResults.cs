namespace LegacyLinking.Web.Linking.Secondary;

/// <summary>
/// What the secondary's login came back with, as the link callback validated it: the verified login, or — when the
/// tenant refused the login or the callback failed the checks — the failed outcome to record.
/// </summary>
/// <param name="SignedIn">Whether the primary's session was still signed in when the callback arrived.</param>
public sealed record LinkCallbackResult(LinkAttempt Attempt, SecondaryLogin? Login, LinkingOutcome? Failure, bool SignedIn);

/// <summary>
/// Carries a <see cref="LinkCallbackResult"/> from the link callback to the profile page, which finishes the link.
/// It stays on the server, in this browser's session, for its attempt alone and for <see cref="Lifetime"/>, and is
/// read once (<see cref="ProtectedSessionItems"/>).
/// </summary>
public sealed class LinkCallbackResults(ProtectedSessionItems items)
{
    /// <summary>The callback redirects at once; this only has to outlast that redirect (and a slow network).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private const string Purpose = "LegacyLinking.LinkCallbackResult.v1";

    public Task StashAsync(HttpContext http, LinkCallbackResult result) => items.PutAsync(http, Purpose, result.Attempt.Id, result, Lifetime);

    /// <summary>The result stashed for <paramref name="attemptId"/> in this session, removed as it is read; null when none is valid.</summary>
    public async Task<LinkCallbackResult?> TakeAsync(HttpContext http, string? attemptId) =>
        await items.TakeAsync<LinkCallbackResult>(http, Purpose, attemptId) is { } result && result.Attempt.Id == attemptId ? result : null;
}
