using LegacyLinking.Web.Auth0;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Linking;

/// <summary>An account the user may want to link: only what is needed to offer it (no picture, no full email).</summary>
public sealed record Suggestion(string UserId, string Connection, string MaskedEmail);

/// <summary>
/// "Accounts with the same verified email", from <c>users-by-email</c> (immediately consistent, and the email travels
/// as a query value, never spliced into a search expression). Both sides must be verified by a JSON boolean, through a
/// connection whose verification the app believes (<see cref="LinkingOptions.UntrustedEmailConnections"/>).
/// </summary>
/// <remarks>
/// <c>users-by-email</c> matches case-sensitively: Auth0 stores database and passwordless users' emails lower-cased and
/// social users' as the provider sent them. So the lookup asks for the primary's email as it is and, when that differs,
/// lower-cased (where Auth0 keeps its own users), and merges the answers. A social account whose provider sent another
/// mixed-case spelling than the primary's is not found: it would take a search, which Auth0 says not to use for linking.
/// </remarks>
public sealed class SuggestionFinder(ManagementApiClient management, IOptions<LinkingOptions> options)
{
    /// <summary>The lookup's name in the migration record (operation <c>suggest</c>): the immediately consistent users-by-email endpoint.</summary>
    public const string Flow = "UsersByEmail";

    /// <summary>Whether <paramref name="user"/> may get or be offered suggestions: an email verified where the app believes it.</summary>
    public bool TrustsEmailOf(User user) => options.Value.HasTrustedVerifiedEmail(user);

    public async Task<IReadOnlyList<Suggestion>> FindAsync(User primary, CancellationToken cancellationToken)
    {
        if (!TrustsEmailOf(primary) || primary.Email is not { } email) return [];
        return Among(primary, await SameEmailAsync(email, cancellationToken));
    }

    /// <summary>The tenant's users with <paramref name="email"/>, as it is and lower-cased (each user once).</summary>
    public async Task<IReadOnlyList<User>> SameEmailAsync(string email, CancellationToken cancellationToken)
    {
        var sameEmail = new List<User>();
        foreach (var spelling in new[] { email, email.ToLowerInvariant() }.Distinct(StringComparer.Ordinal))
            sameEmail.AddRange(await management.Users.GetUsersByEmailAsync(spelling, cancellationToken: cancellationToken));
        return sameEmail.DistinctBy(u => u.UserId, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The suggestions for <paramref name="primary"/> among <paramref name="sameEmail"/> (<see cref="SameEmailAsync"/> of
    /// the primary's email): verified, the same email, neither the primary nor an identity already linked to it.
    /// </summary>
    public IReadOnlyList<Suggestion> Among(User primary, IReadOnlyList<User> sameEmail)
    {
        if (!TrustsEmailOf(primary)) return [];
        var linked = primary.Identities.Select(i => $"{i.Provider}|{i.UserId}").ToHashSet(StringComparer.Ordinal);
        return sameEmail
            .Where(u => u.UserId != primary.UserId && !linked.Contains(u.UserId))
            .Where(u => TrustsEmailOf(u) && string.Equals(u.Email, primary.Email, StringComparison.OrdinalIgnoreCase))
            .Select(u => new Suggestion(u.UserId, u.Identities.FirstOrDefault()?.Connection ?? ProviderOf(u.UserId), Mask(u.Email!)))
            .ToList();
    }

    private static string ProviderOf(string userId) => userId.Split('|', 2)[0];

    /// <summary><c>ada@example.com</c> → <c>a**@example.com</c>.</summary>
    public static string Mask(string email)
    {
        var at = email.IndexOf('@');
        if (at <= 0) return "***";
        return email[0] + new string('*', Math.Min(at - 1, 6)) + email[at..];
    }
}
