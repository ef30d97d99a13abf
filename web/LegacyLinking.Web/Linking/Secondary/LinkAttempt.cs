using Microsoft.AspNetCore.Authentication;

namespace LegacyLinking.Web.Linking.Secondary;

/// <summary>
/// What a link started with, carried in the secondary login's protected <c>state</c> (never in a URL as plain text)
/// so the callback can check it belongs to this user and this attempt.
/// </summary>
public sealed record LinkAttempt(
    string Id, string PrimaryUserId, string Flow, string Reason, string Connection, string? TargetUserId, DateTimeOffset StartedAt,
    string KnownIdentities)
{
    private const string Prefix = "ll.";

    public void WriteTo(AuthenticationProperties properties)
    {
        properties.Items[Prefix + "attempt"] = Id;
        properties.Items[Prefix + "primary"] = PrimaryUserId;
        properties.Items[Prefix + "flow"] = Flow;
        properties.Items[Prefix + "reason"] = Reason;
        properties.Items[Prefix + "connection"] = Connection;
        // Only present values: an absent item must read back as "no target", never as an empty target.
        if (TargetUserId is not null) properties.Items[Prefix + "target"] = TargetUserId;
        properties.Items[Prefix + "started"] = StartedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        properties.Items[Prefix + "known"] = KnownIdentities;
    }

    public static LinkAttempt? ReadFrom(AuthenticationProperties? properties)
    {
        if (properties is null) return null;
        // Only WriteTo writes these items (the state is data-protected), and it writes every one but the target, none empty.
        string? Get(string key) => properties.GetString(Prefix + key);
        if (Get("attempt") is not { } id || Get("primary") is not { } primary || Get("flow") is not { } flow || Get("reason") is not { } reason
            || Get("connection") is not { } connection || !long.TryParse(Get("started"), out var started) || Get("known") is not { } known)
            return null;
        return new LinkAttempt(id, primary, flow, reason, connection, Get("target"), DateTimeOffset.FromUnixTimeSeconds(started), known);
    }
}

/// <summary>
/// Attempts this browser session started and has not finished: a callback whose attempt is not here (another
/// session's, or one already used) is refused.
/// </summary>
public static class PendingAttempts
{
    private const string Key = "link-attempts";

    public static void Add(ISession session, string attemptId)
    {
        var pending = Read(session);
        pending.Add(attemptId);
        session.SetString(Key, string.Join(',', pending.TakeLast(5)));
    }

    /// <summary>Whether this session started the attempt and has not finished it (nothing is removed).</summary>
    public static bool IsPending(ISession session, string attemptId) => Read(session).Contains(attemptId);

    /// <summary>Removes the attempt; true only the first time for an attempt this session started.</summary>
    public static bool TryConsume(ISession session, string attemptId)
    {
        var pending = Read(session);
        if (!pending.Remove(attemptId)) return false;
        session.SetString(Key, string.Join(',', pending));
        return true;
    }

    private static List<string> Read(ISession session) =>
        (session.GetString(Key) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
}
