using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Distributed;

namespace LegacyLinking.Web.Data;

/// <summary>One entry of <see cref="DatabaseCache"/>.</summary>
public sealed class CacheEntry
{
    public string Key { get; set; } = "";
    public byte[] Value { get; set; } = [];
    /// <summary>When the entry stops being served (UTC): the absolute expiry, or sooner when it slides.</summary>
    public DateTime ExpiresAt { get; set; }
    public double? SlidingSeconds { get; set; }
    public DateTime? AbsoluteExpiration { get; set; }
}

/// <summary>
/// <see cref="IDistributedCache"/> in the app's own database (SQLite or PostgreSQL), behind the sign-in tickets, the
/// session state (pending link attempts, QA session overrides) and the "sessions valid after" times: they survive a
/// restart, and instances sharing a PostgreSQL database share them. A sliding entry is pushed back at most once a
/// minute, so a page view does not write. Expired entries are swept every few minutes by whoever writes. The
/// synchronous members are synchronous all the way down (session state loads synchronously when a page reads it
/// before the middleware loaded it; blocking on the async path there starves the thread pool under load).
/// </summary>
public sealed class DatabaseCache(IDbContextFactory<AppDbContext> databases, TimeProvider clock) : IDistributedCache
{
    private static readonly TimeSpan RefreshGranularity = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(5);
    private static readonly DateTime Never = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);
    private long _nextSweepTicks;

    public byte[]? Get(string key)
    {
        using var db = databases.CreateDbContext();
        var entry = db.CacheEntries.AsNoTracking().FirstOrDefault(e => e.Key == key);
        var now = Now;
        if (entry is null || entry.ExpiresAt <= now) return null;
        if (SlideTo(entry, now) is { } expires) db.CacheEntries.Where(e => e.Key == key).ExecuteUpdate(s => s.SetProperty(e => e.ExpiresAt, expires));
        return entry.Value;
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        await using var db = await databases.CreateDbContextAsync(token);
        var entry = await db.CacheEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Key == key, token);
        var now = Now;
        if (entry is null || entry.ExpiresAt <= now) return null;
        if (SlideTo(entry, now) is { } expires)
            await db.CacheEntries.Where(e => e.Key == key).ExecuteUpdateAsync(s => s.SetProperty(e => e.ExpiresAt, expires), token);
        return entry.Value;
    }

    public void Refresh(string key)
    {
        using var db = databases.CreateDbContext();
        var entry = Expiries(db, key).FirstOrDefault();
        var now = Now;
        if (entry is not null && entry.ExpiresAt > now && SlideTo(entry, now) is { } expires)
            db.CacheEntries.Where(e => e.Key == key).ExecuteUpdate(s => s.SetProperty(e => e.ExpiresAt, expires));
    }

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        await using var db = await databases.CreateDbContextAsync(token);
        var entry = await Expiries(db, key).FirstOrDefaultAsync(token);
        var now = Now;
        if (entry is not null && entry.ExpiresAt > now && SlideTo(entry, now) is { } expires)
            await db.CacheEntries.Where(e => e.Key == key).ExecuteUpdateAsync(s => s.SetProperty(e => e.ExpiresAt, expires), token);
    }

    public void Remove(string key)
    {
        using var db = databases.CreateDbContext();
        db.CacheEntries.Where(e => e.Key == key).ExecuteDelete();
    }

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        await using var db = await databases.CreateDbContextAsync(token);
        await db.CacheEntries.Where(e => e.Key == key).ExecuteDeleteAsync(token);
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        var (now, expires, sliding, absolute) = Plan(options);
        using var db = databases.CreateDbContext();
        db.Database.ExecuteSql(Upsert(key, value, expires, sliding, absolute));
        if (SweepDue(now)) db.CacheEntries.Where(e => e.ExpiresAt <= now).ExecuteDelete();
    }

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        var (now, expires, sliding, absolute) = Plan(options);
        await using var db = await databases.CreateDbContextAsync(token);
        await db.Database.ExecuteSqlAsync(Upsert(key, value, expires, sliding, absolute), token);
        if (SweepDue(now)) await db.CacheEntries.Where(e => e.ExpiresAt <= now).ExecuteDeleteAsync(token);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static IQueryable<CacheEntry> Expiries(AppDbContext db, string key) =>
        db.CacheEntries.AsNoTracking().Where(e => e.Key == key)
            .Select(e => new CacheEntry { Key = e.Key, ExpiresAt = e.ExpiresAt, SlidingSeconds = e.SlidingSeconds, AbsoluteExpiration = e.AbsoluteExpiration });

    private static FormattableString Upsert(string key, byte[] value, DateTime expires, double? sliding, DateTime? absolute) => $"""
        INSERT INTO "cache_entries" ("Key", "Value", "ExpiresAt", "SlidingSeconds", "AbsoluteExpiration")
        VALUES ({key}, {value}, {expires}, {sliding}, {absolute})
        ON CONFLICT ("Key") DO UPDATE SET "Value" = excluded."Value", "ExpiresAt" = excluded."ExpiresAt",
            "SlidingSeconds" = excluded."SlidingSeconds", "AbsoluteExpiration" = excluded."AbsoluteExpiration"
        """;

    private (DateTime Now, DateTime Expires, double? Sliding, DateTime? Absolute) Plan(DistributedCacheEntryOptions options)
    {
        var now = Now;
        DateTime? absolute = options.AbsoluteExpiration?.UtcDateTime ?? (now + options.AbsoluteExpirationRelativeToNow);
        if (absolute <= now) throw new ArgumentOutOfRangeException(nameof(options), "The absolute expiration is in the past.");
        double? sliding = options.SlidingExpiration?.TotalSeconds;
        return (now, Expiry(now, sliding, absolute), sliding, absolute);
    }

    /// <summary>No expiry at all is stored as the far future (both providers compare it as a plain timestamp).</summary>
    private static DateTime Expiry(DateTime now, double? slidingSeconds, DateTime? absolute)
    {
        var expires = absolute ?? Never;
        if (slidingSeconds is { } seconds && now.AddSeconds(seconds) < expires) expires = now.AddSeconds(seconds);
        return expires;
    }

    /// <summary>The new expiry of a sliding entry read now, or null when it would move by less than a minute.</summary>
    private static DateTime? SlideTo(CacheEntry entry, DateTime now)
    {
        if (entry.SlidingSeconds is null) return null;
        var expires = Expiry(now, entry.SlidingSeconds, entry.AbsoluteExpiration);
        return expires - entry.ExpiresAt < RefreshGranularity ? null : expires;
    }

    private bool SweepDue(DateTime now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        return now.Ticks >= due && Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepEvery).Ticks, due) == due;
    }
}
