using LegacyLinking.Web.Linking.Secondary;

namespace LegacyLinking.Web.Linking;

/// <summary>The signed-in primary, with the tokens its session holds (never sent to the browser).</summary>
public sealed record PrimaryUser(string UserId, string? AccessToken, string? IdToken, string? RefreshToken = null);

/// <summary>A secondary account freshly authenticated in its own challenge and validated by the app.</summary>
public sealed record SecondaryLogin(string UserId, string IdToken, string? Email, bool EmailVerified, DateTimeOffset AuthTime);

/// <summary>A link to complete: both logins verified, the attempt it belongs to checked (this session's, unused, fresh).</summary>
public sealed record LinkRequest(PrimaryUser Primary, SecondaryLogin Secondary, LinkAttempt Attempt);

/// <summary>One link flow (its name and kind in <see cref="FlowCatalogue"/>).</summary>
public interface ILinkFlow
{
    /// <summary>Extra <c>/authorize</c> parameters for the secondary's login (only the Lock-era flow needs any).</summary>
    Task<IReadOnlyDictionary<string, string>> ChallengeParametersAsync(PrimaryUser primary, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    /// <summary>
    /// Completes the link after the secondary's login came back, and says what was linked; a refusal is a
    /// <see cref="LinkingRefusedException"/>, the tenant's answer an <see cref="Auth0.ApiException"/>.
    /// </summary>
    Task<string> CompleteAsync(LinkRequest link, CancellationToken cancellationToken);
}

/// <summary>One unlink flow (its name and kind in <see cref="FlowCatalogue"/>).</summary>
public interface IUnlinkFlow
{
    Task UnlinkAsync(PrimaryUser primary, string provider, string userId, CancellationToken cancellationToken);
}

/// <summary>The app refused before calling the tenant (a guard), with a message for the user.</summary>
public sealed class LinkingRefusedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// A link failed after the app had already changed something on the account (<paramref name="done"/> says what, in
/// plain words); the outcome is the cause's, its message says both.
/// </summary>
public sealed class LinkingPartlyDoneException(string done, Exception cause) : Exception(cause.Message, cause)
{
    public string Done { get; } = done;
}
