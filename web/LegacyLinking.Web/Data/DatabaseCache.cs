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
/// synchronous members wait on the asynchronous ones (the interface requires them; nothing in the app calls them).
/// </summary>
public sealed class DatabaseCache(IDbContextFactory<AppDbContext> databases, TimeProvider clock) : IDistributedCache
{
    private static readonly TimeSpan RefreshGranularity = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(5);
    private long _nextSweepTicks;

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        await using var db = await databases.CreateDbContextAsync(token);
        var entry = await db.CacheEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Key == key, token);
        var now = Now;
        if (entry is null || entry.ExpiresAt <= now) return null;
        await SlideAsync(db, entry, now, token);
        return entry.Value;
    }

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        await using var db = await databases.CreateDbContextAsync(token);
        var entry = await db.CacheEntries.AsNoTracking().Where(e => e.Key == key)
            .Select(e => new CacheEntry { Key = e.Key, ExpiresAt = e.ExpiresAt, SlidingSeconds = e.SlidingSeconds, AbsoluteExpiration = e.AbsoluteExpiration })
            .FirstOrDefaultAsync(token);
        if (entry is not null && entry.ExpiresAt > Now) await SlideAsync(db, entry, Now, token);
    }

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        await using var db = await databases.CreateDbContextAsync(token);
        await db.CacheEntries.Where(e => e.Key == key).ExecuteDeleteAsync(token);
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        var now = Now;
        DateTime? absolute = options.AbsoluteExpiration?.UtcDateTime ?? (now + options.AbsoluteExpirationRelativeToNow);
        if (absolute <= now) throw new ArgumentOutOfRangeException(nameof(options), "The absolute expiration is in the past.");
        double? sliding = options.SlidingExpiration?.TotalSeconds;
        var expires = Expiry(now, sliding, absolute);
        await using var db = await databases.CreateDbContextAsync(token);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "cache_entries" ("Key", "Value", "ExpiresAt", "SlidingSeconds", "AbsoluteExpiration")
            VALUES ({key}, {value}, {expires}, {sliding}, {absolute})
            ON CONFLICT ("Key") DO UPDATE SET "Value" = excluded."Value", "ExpiresAt" = excluded."ExpiresAt",
                "SlidingSeconds" = excluded."SlidingSeconds", "AbsoluteExpiration" = excluded."AbsoluteExpiration"
            """, token);
        await SweepIfDueAsync(db, now, token);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>No expiry at all is stored as the far future (both providers compare it as a plain timestamp).</summary>
    private static DateTime Expiry(DateTime now, double? slidingSeconds, DateTime? absolute)
    {
        var expires = absolute ?? new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);
        if (slidingSeconds is { } seconds && now.AddSeconds(seconds) < expires) expires = now.AddSeconds(seconds);
        return expires;
    }

    private static async Task SlideAsync(AppDbContext db, CacheEntry entry, DateTime now, CancellationToken token)
    {
        if (entry.SlidingSeconds is null) return;
        var expires = Expiry(now, entry.SlidingSeconds, entry.AbsoluteExpiration);
        if (expires - entry.ExpiresAt < RefreshGranularity) return;
        await db.CacheEntries.Where(e => e.Key == entry.Key).ExecuteUpdateAsync(s => s.SetProperty(e => e.ExpiresAt, expires), token);
    }

    private async Task SweepIfDueAsync(AppDbContext db, DateTime now, CancellationToken token)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.Ticks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepEvery).Ticks, due) != due) return;
        await db.CacheEntries.Where(e => e.ExpiresAt <= now).ExecuteDeleteAsync(token);
    }
}
