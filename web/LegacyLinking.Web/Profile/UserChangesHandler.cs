namespace LegacyLinking.Web.Profile;

/// <summary>
/// Tells <see cref="UserCache"/> about every write this app sends to <c>/api/v2/users/{id}…</c> (a link, an unlink, a
/// metadata merge, the identities taken off after a password reset), whatever the answer: a write that timed out may
/// still have happened. An unlinked identity becomes a user of its own again, so it is told about too.
/// </summary>
public sealed class UserChangesHandler(UserCache cache) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get || request.RequestUri is null) return await base.SendAsync(request, cancellationToken);
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            foreach (var userId in UsersIn(request.RequestUri)) await cache.ChangedAsync(userId, CancellationToken.None);
        }
    }

    /// <summary><c>…/users/{id}[/identities/{provider}/{user_id}]</c> → the user ids it names.</summary>
    public static IEnumerable<string> UsersIn(Uri url)
    {
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(segments, "users");
        if (at < 0 || at + 1 >= segments.Length) yield break;
        yield return Uri.UnescapeDataString(segments[at + 1]);
        if (at + 4 < segments.Length && segments[at + 2] == "identities")
            yield return $"{Uri.UnescapeDataString(segments[at + 3])}|{Uri.UnescapeDataString(segments[at + 4])}";
    }
}
