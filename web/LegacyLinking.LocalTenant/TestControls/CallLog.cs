namespace LegacyLinking.LocalTenant.TestControls;

/// <summary>
/// One request as <c>GET /test/calls</c> shows it. Secrets never get in: the query keeps only the names of secret
/// parameters, and the bearer is described by <see cref="BearerInfo"/>, not copied.
/// </summary>
public sealed record CallLogEntry(
    DateTimeOffset At,
    string Method,
    string Path,
    string? Query,
    int Status,
    long DurationMs,
    BearerInfo Bearer,
    string? GrantType,
    string? ClientId);

/// <summary>The recent calls to the endpoints an app talks to (bounded; oldest dropped first).</summary>
public sealed class CallLog
{
    public const int Capacity = 1000;

    private readonly Lock _gate = new();
    private readonly Queue<CallLogEntry> _entries = new();

    /// <summary>
    /// The endpoints whose calls are recorded: Management API, token, userinfo, the legacy unlink routes, authorize,
    /// the change-password request, and discovery and the key set (how often an app fetches them again is tested).
    /// </summary>
    public static bool Records(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/api/v2") || path.StartsWithSegments("/.well-known") || path.Equals("/oauth/token", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/userinfo", StringComparison.OrdinalIgnoreCase) || path.Equals("/unlink", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/login/unlink", StringComparison.OrdinalIgnoreCase) || path.Equals("/authorize", StringComparison.OrdinalIgnoreCase)
        || path.Equals(PasswordReset.ChangePasswordEndpoint.Path, StringComparison.OrdinalIgnoreCase);

    public void Add(CallLogEntry entry)
    {
        lock (_gate)
        {
            _entries.Enqueue(entry);
            while (_entries.Count > Capacity) _entries.Dequeue();
        }
    }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<CallLogEntry> List()
    {
        lock (_gate) return [.. _entries];
    }

    public void Clear()
    {
        lock (_gate) _entries.Clear();
    }
}
