using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Data;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Profile;

/// <summary>
/// What the profile page read from the tenant about a user, kept for <c>Auth0:UserCacheSeconds</c> so repeat views make
/// no Management API calls (a real tenant allows a few calls a second). Whatever this app changes at the tenant
/// (<see cref="ChangedAsync"/>: links, unlinks, metadata merges, any write to the user) is seen at once: each user has
/// a version, changed with every such write, and an entry read under another version is read again. The version lives
/// in this instance's memory and in the session store (<c>Sessions:Store</c>), so every instance sharing the session
/// store sees another's change on the next view. Only the profile page's display reads come through here: every
/// guard, flow and check that decides what a user may do reads the tenant itself.
/// </summary>
/// <remarks>
/// <see cref="IMemoryCache"/> rather than HybridCache: each read stays inside its own page's call (the page's tenant
/// deadline and cancellation apply to it), and nothing about a user falls through to the session store's database, as
/// HybridCache's second level would by default.
/// </remarks>
public sealed class UserCache(IMemoryCache memory, IDistributedCache shared, IOptions<Auth0Options> options, ILogger<UserCache> logger)
{
    private TimeSpan Lifetime => TimeSpan.FromSeconds(options.Value.UserCacheSeconds);

    /// <summary>The reads of one page for <paramref name="userId"/>, all under the user's version as it is now.</summary>
    public async Task<UserReads> ForAsync(string userId, CancellationToken cancellationToken)
    {
        if (Lifetime <= TimeSpan.Zero) return UserReads.Uncached;
        try
        {
            var version = $"{LocalVersion(userId)}/{await shared.GetStringAsync(SharedKey(userId), cancellationToken)}";
            return new UserReads(this, userId, version);
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            // Whether another instance changed the user cannot be known now: ask the tenant, as without a cache.
            return UserReads.Uncached;
        }
    }

    /// <summary>
    /// This app changed <paramref name="userId"/> at the tenant (or may have: call it whatever the answer was). Never
    /// throws: when the session store does not answer, this instance still forgets at once and others within
    /// <c>Auth0:UserCacheSeconds</c>.
    /// </summary>
    public async Task ChangedAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (Lifetime <= TimeSpan.Zero) return;
        var version = Guid.NewGuid().ToString("N");
        // Kept longer than any entry read under the version before it can live.
        var keep = Lifetime * 2 + TimeSpan.FromSeconds(5);
        memory.Set(LocalKey(userId), version, keep);
        try
        {
            await shared.SetStringAsync(SharedKey(userId), version, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = keep }, cancellationToken);
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e) || e is OperationCanceledException)
        {
            logger.LogWarning("Other instances could not be told that {UserId} changed ({Error}); they read it again within {Seconds} s.",
                userId, e.Message, options.Value.UserCacheSeconds);
        }
    }

    internal async Task<T> GetAsync<T>(string userId, string version, string part, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var key = (typeof(UserCache), userId, part);
        if (memory.TryGetValue(key, out Entry<T>? entry) && entry!.Version == version) return entry.Value;
        var value = await read(cancellationToken);
        memory.Set(key, new Entry<T>(value, version), Lifetime);
        return value;
    }

    private string LocalVersion(string userId) => memory.TryGetValue(LocalKey(userId), out string? version) ? version! : "";

    private static (Type, string) LocalKey(string userId) => (typeof(UserCache), userId);

    private static string SharedKey(string userId) => "ll-user-version:" + userId;

    /// <summary>A value as read from the tenant, shared by every view: never changed after it is read.</summary>
    private sealed record Entry<T>(T Value, string Version);
}

/// <summary>One page's reads of a user through <see cref="UserCache"/> (or straight from the tenant when it is off).</summary>
public sealed class UserReads
{
    public static readonly UserReads Uncached = new(null, "", "");

    private readonly UserCache? _cache;
    private readonly string _userId;
    private readonly string _version;

    internal UserReads(UserCache? cache, string userId, string version)
    {
        _cache = cache;
        _userId = userId;
        _version = version;
    }

    /// <param name="part">What is read (one entry per user and part).</param>
    public Task<T> GetAsync<T>(string part, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        _cache is null ? read(cancellationToken) : _cache.GetAsync(_userId, _version, part, read, cancellationToken);
}
