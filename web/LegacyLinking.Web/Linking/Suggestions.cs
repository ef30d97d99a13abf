using LegacyLinking.Web.Auth0;

namespace LegacyLinking.Web.Linking;

/// <summary>An account the user may want to link: only what is needed to offer it (no picture, no full email).</summary>
public sealed record Suggestion(string UserId, string Connection, string MaskedEmail);

/// <summary>
/// "Accounts with the same verified email", from <c>users-by-email</c> (immediately consistent, and the email travels
/// as a query value, never spliced into a search expression). Both sides must be verified by a JSON boolean.
/// </summary>
public sealed class SuggestionFinder(ManagementApiClient management)
{
    public async Task<IReadOnlyList<Suggestion>> FindAsync(User primary, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(primary.Email) || !primary.EmailVerified) return [];
        var linked = primary.Identities.Select(i => $"{i.Provider}|{i.UserId}").ToHashSet(StringComparer.Ordinal);
        var sameEmail = await management.Users.GetUsersByEmailAsync(primary.Email, cancellationToken: cancellationToken);
        return sameEmail
            .Where(u => u.UserId != primary.UserId && !linked.Contains(u.UserId))
            .Where(u => u.EmailVerified && string.Equals(u.Email, primary.Email, StringComparison.OrdinalIgnoreCase))
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
