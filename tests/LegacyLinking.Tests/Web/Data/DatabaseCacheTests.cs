using LegacyLinking.Tests.Web.MigrationTracking;
using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LegacyLinking.Tests.Web.Data;

/// <summary>The session store in the app's database, on SQLite and PostgreSQL, with a clock the test moves.</summary>
public abstract class DatabaseCacheTests(MigrationStore store)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));

    private static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Stores_replaces_and_removes_entries()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await store.StartAsync();
        var cache = new DatabaseCache(host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), _clock);

        Assert.Null(await cache.GetAsync("ticket:a", ct));
        await cache.SetAsync("ticket:a", Bytes("one"), new DistributedCacheEntryOptions(), ct);
        Assert.Equal(Bytes("one"), await cache.GetAsync("ticket:a", ct));
        await cache.SetAsync("ticket:a", Bytes("two"), new DistributedCacheEntryOptions(), ct);
        Assert.Equal(Bytes("two"), await cache.GetAsync("ticket:a", ct));
        await cache.RemoveAsync("ticket:a", ct);
        Assert.Null(await cache.GetAsync("ticket:a", ct));

        // A second instance on the same database sees what the first stored.
        await cache.SetAsync("ticket:b", Bytes("shared"), new DistributedCacheEntryOptions(), ct);
        var other = new DatabaseCache(host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), _clock);
        Assert.Equal(Bytes("shared"), await other.GetAsync("ticket:b", ct));
    }

    [Fact]
    public async Task The_synchronous_members_do_the_same()
    {
        await using var host = await store.StartAsync();
        var cache = new DatabaseCache(host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), _clock);
        cache.Set("s", Bytes("one"), new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(20) });
        Assert.Equal(Bytes("one"), cache.Get("s"));
        _clock.Advance(TimeSpan.FromMinutes(15));
        cache.Refresh("s"); // now lives to 35
        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(Bytes("one"), cache.Get("s"));
        cache.Remove("s");
        Assert.Null(cache.Get("s"));
    }

    [Fact]
    public async Task An_absolute_expiry_ends_the_entry()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await store.StartAsync();
        var cache = new DatabaseCache(host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), _clock);
        await cache.SetAsync("k", Bytes("v"), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(8) }, ct);

        _clock.Advance(TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1));
        Assert.NotNull(await cache.GetAsync("k", ct));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await cache.GetAsync("k", ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            cache.SetAsync("k", Bytes("v"), new DistributedCacheEntryOptions { AbsoluteExpiration = _clock.GetUtcNow().AddSeconds(-1) }, ct));
    }

    [Fact]
    public async Task A_sliding_entry_lives_while_it_is_read_and_never_past_its_absolute_expiry()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await store.StartAsync();
        var cache = new DatabaseCache(host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), _clock);
        await cache.SetAsync("session", Bytes("v"), new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromMinutes(20),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(50),
        }, ct);

        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.NotNull(await cache.GetAsync("session", ct)); // read at 15: now lives to 35
        _clock.Advance(TimeSpan.FromMinutes(15));
        await cache.RefreshAsync("session", ct); // refreshed at 30: lives to 50 (the absolute cap)
        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.NotNull(await cache.GetAsync("session", ct)); // 45
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(await cache.GetAsync("session", ct)); // 50: the absolute expiry, however recently read

        await cache.SetAsync("idle", Bytes("v"), new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(20) }, ct);
        _clock.Advance(TimeSpan.FromMinutes(21));
        Assert.Null(await cache.GetAsync("idle", ct));
    }

    [Fact]
    public async Task Expired_entries_are_swept_by_a_later_write()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await store.StartAsync();
        var databases = host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var cache = new DatabaseCache(databases, _clock);
        await cache.SetAsync("old", Bytes("v"), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) }, ct);
        _clock.Advance(TimeSpan.FromMinutes(10));
        await cache.SetAsync("new", Bytes("v"), new DistributedCacheEntryOptions(), ct);

        await using var db = await databases.CreateDbContextAsync(ct);
        Assert.Equal(["new"], await db.CacheEntries.Select(e => e.Key).ToListAsync(ct));
    }
}

public sealed class DatabaseCacheTestsOnSqlite() : DatabaseCacheTests(new SqliteStore());

public sealed class DatabaseCacheTestsOnPostgres(LegacyLinking.Tests.Infrastructure.PostgresFixture postgres) : DatabaseCacheTests(new PostgresStore(postgres));
