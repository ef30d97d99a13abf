using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Linking.Secondary;

namespace LegacyLinking.Web.Linking;

/// <summary>
/// Whether a password reset of the user still waits for this app's answer (its identities are reviewed first): no link
/// or unlink may run before it. Answered where password resets are handled.
/// </summary>
public interface IPasswordResetGate
{
    Task<bool> IsDueAsync(User user, CancellationToken cancellationToken);
}

/// <summary>A secondary account freshly authenticated in its own challenge and validated by the app.</summary>
public sealed record SecondaryLogin(string UserId, string IdToken, bool EmailVerified, DateTimeOffset AuthTime);

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

/// <summary>
/// A link flow whose tenant links during the secondary's login, before the app sees who signed in (the Lock-era
/// <c>/authorize?access_token=</c>). The app cannot refuse such a link, only read afterwards what the tenant did — and
/// must, whatever went wrong after the login, so the page and the record say what really happened.
/// </summary>
public interface ILinksDuringLogin : ILinkFlow
{
    /// <summary>
    /// Reads what the tenant linked into the attempt's primary since the attempt started and settles it: says what was
    /// linked; a <see cref="LinkingRefusedException"/> <c>not_linked</c> when nothing was; a
    /// <see cref="LinkingUndoneException"/> when it linked another account than the chosen one (taken off again); an
    /// <see cref="Auth0.ApiException"/> when the tenant could not be read.
    /// </summary>
    Task<string> SettleAsync(LinkAttempt attempt, CancellationToken cancellationToken);
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

/// <summary>
/// The tenant linked an account other than the one chosen and the app took it off again; what that account lost is in
/// the message (<see cref="Outcomes.UndoneLoss"/>).
/// </summary>
public sealed class LinkingUndoneException(string message) : Exception(message);
