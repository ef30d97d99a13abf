using LegacyLinking.Web.Auth0;

namespace LegacyLinking.Web.Linking;

/// <summary>The signed-in primary, with the tokens its session holds (never sent to the browser).</summary>
public sealed record PrimaryUser(string UserId, string? AccessToken, string? IdToken, string? RefreshToken = null);

/// <summary>A secondary account freshly authenticated in its own challenge and validated by the app.</summary>
public sealed record SecondaryLogin(string UserId, string IdToken, string? Email, bool EmailVerified, DateTimeOffset AuthTime);

/// <summary>One link flow of design.md §3 (contract names in <see cref="Flags.LinkFlows"/>).</summary>
public interface ILinkFlow
{
    string Name { get; }

    /// <summary>Extra <c>/authorize</c> parameters for the secondary's login (only the Lock-era flow needs any).</summary>
    Task<IReadOnlyDictionary<string, string>> ChallengeParametersAsync(PrimaryUser primary, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    /// <summary>Links after both accounts authenticated; returns the primary's identities as the tenant reports them.</summary>
    Task<IList<AccountLinkResponse>> LinkAsync(PrimaryUser primary, SecondaryLogin secondary, CancellationToken cancellationToken);
}

/// <summary>One unlink flow of design.md §3 (contract names in <see cref="Flags.UnlinkFlows"/>).</summary>
public interface IUnlinkFlow
{
    string Name { get; }

    Task UnlinkAsync(PrimaryUser primary, string provider, string userId, CancellationToken cancellationToken);
}

/// <summary>The app refused before calling the tenant (a guard), with a message for the user.</summary>
public sealed class LinkingRefusedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
