namespace LegacyLinking.Web.Linking.StepUp;

/// <summary>
/// A link or unlink a user asked for while their sign-in was too old: its parameters as posted, never more trusted than
/// a fresh request's (they go through the same guards when it resumes).
/// </summary>
public sealed record PendingOperation(string UserId, string Operation, string? Connection, string? Suggestion, string? Provider, string? IdentityUserId)
{
    public static PendingOperation Link(string userId, string? connection, string? suggestion) =>
        new(userId, LinkingService.Link, connection, suggestion, null, null);

    public static PendingOperation Unlink(string userId, string? provider, string? identityUserId) =>
        new(userId, LinkingService.Unlink, null, null, provider, identityUserId);

    public bool IsLink => Operation == LinkingService.Link;
}
