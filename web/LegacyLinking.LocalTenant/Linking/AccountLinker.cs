using LegacyLinking.LocalTenant.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.LocalTenant.Linking;

/// <summary>
/// Auth0's link and unlink semantics, shared by the Management API, the legacy <c>/unlink</c> endpoint and
/// <c>/authorize?access_token=</c> linking. Each caller turns a <see cref="LinkingException"/> into its own error shape.
/// </summary>
public sealed class AccountLinker(TenantDbContext db, TimeProvider clock)
{
    /// <summary>
    /// Links the user that owns the identity <paramref name="secondarySub"/> (<c>provider|id</c>) into
    /// <paramref name="primaryUserId"/>: its root profile moves into the identity's profileData, its metadata is
    /// discarded, it leaves the user list, and identities it already had come along. Returns the primary.
    /// </summary>
    public Task<TenantUser> LinkAsync(
        string primaryUserId, string secondarySub, string? connectionId = null, CancellationToken cancellationToken = default) =>
        OnceAgainIfRacedAsync(() => TryLinkAsync(primaryUserId, secondarySub, connectionId, cancellationToken));

    private async Task<TenantUser> TryLinkAsync(
        string primaryUserId, string secondarySub, string? connectionId, CancellationToken cancellationToken)
    {
        var primary = await FindUserAsync(primaryUserId, cancellationToken)
            ?? throw new LinkingException(LinkingProblem.PrimaryNotFound);
        if (!Auth0Ids.TrySplit(secondarySub, out var provider, out var providerUserId))
            throw new LinkingException(LinkingProblem.SecondaryNotFound);

        var identity = await db.Identities
            .SingleOrDefaultAsync(i => i.Provider == provider && i.ProviderUserId == providerUserId, cancellationToken);
        if (identity is null || (connectionId is not null && !await ConnectionMatchesAsync(identity, connectionId, cancellationToken)))
            throw new LinkingException(LinkingProblem.SecondaryNotFound);
        if (identity.UserId == primary.UserId)
        {
            throw new LinkingException(identity.Position == 0 ? LinkingProblem.SameUser : LinkingProblem.AlreadyLinkedToThisUser);
        }
        if (identity.Position != 0) throw new LinkingException(LinkingProblem.AlreadyLinkedToAnotherUser);

        // Gone between the two reads: another request linked it just now (its identity was read before that link saved).
        var secondary = await FindUserAsync(identity.UserId, cancellationToken) ?? throw new RacedException();
        var next = primary.Identities.Max(i => i.Position) + 1;
        foreach (var moved in secondary.Identities.OrderBy(i => i.Position).ToList())
        {
            // The secondary's own identity keeps the profile the user had; identities it had linked keep theirs.
            if (moved.Position == 0) moved.ProfileData = ProfileData.Of(secondary).ToJsonString();
            moved.Position = next++;
            secondary.Identities.Remove(moved);
            primary.Identities.Add(moved);
        }
        db.Users.Remove(secondary);
        primary.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return primary;
    }

    /// <summary>
    /// Unlinks <c>provider|providerUserId</c> from <paramref name="primaryUserId"/>; it becomes a standalone user again
    /// with its profileData as its root profile and no metadata. Returns the primary with its remaining identities.
    /// </summary>
    public Task<TenantUser> UnlinkAsync(
        string primaryUserId, string provider, string providerUserId, CancellationToken cancellationToken = default) =>
        OnceAgainIfRacedAsync(() => TryUnlinkAsync(primaryUserId, provider, providerUserId, cancellationToken));

    private async Task<TenantUser> TryUnlinkAsync(
        string primaryUserId, string provider, string providerUserId, CancellationToken cancellationToken)
    {
        var primary = await FindUserAsync(primaryUserId, cancellationToken)
            ?? throw new LinkingException(LinkingProblem.PrimaryNotFound);
        var identity = primary.Identities.SingleOrDefault(i => i.Provider == provider && i.ProviderUserId == providerUserId)
            ?? throw new LinkingException(LinkingProblem.IdentityNotLinked);
        if (identity.Position == 0) throw new LinkingException(LinkingProblem.MainIdentity);

        var now = clock.GetUtcNow();
        var standalone = new TenantUser { UserId = identity.Sub, CreatedAt = now, UpdatedAt = now };
        ProfileData.ApplyTo(standalone, identity.ProfileData);
        identity.Position = 0;
        identity.ProfileData = null;
        primary.Identities.Remove(identity);
        standalone.Identities.Add(identity);
        db.Users.Add(standalone);
        primary.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return primary;
    }

    /// <summary>
    /// Two requests that read the same users before either saved race for one change: the loser's save fails on the
    /// unique user id (unlink) or on a row already gone (link). Auth0 serialises them, so the loser gets the answer a
    /// second request after the winner gets: the operation runs once more on what is stored now and refuses.
    /// </summary>
    private async Task<TenantUser> OnceAgainIfRacedAsync(Func<Task<TenantUser>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (e is DbUpdateException or RacedException)
        {
            db.ChangeTracker.Clear();
            return await operation();
        }
    }

    private sealed class RacedException : Exception;

    private Task<TenantUser?> FindUserAsync(string userId, CancellationToken cancellationToken) =>
        db.Users.Include(u => u.Identities).SingleOrDefaultAsync(u => u.UserId == userId, cancellationToken);

    private Task<bool> ConnectionMatchesAsync(TenantIdentity identity, string connectionId, CancellationToken cancellationToken) =>
        db.Connections.AnyAsync(c => c.Id == connectionId && c.Name == identity.Connection, cancellationToken);
}

public enum LinkingProblem
{
    PrimaryNotFound,
    SecondaryNotFound,
    SameUser,
    AlreadyLinkedToThisUser,
    AlreadyLinkedToAnotherUser,
    IdentityNotLinked,
    MainIdentity,
}

public sealed class LinkingException(LinkingProblem problem) : Exception(problem.ToString())
{
    public LinkingProblem Problem { get; } = problem;
}
