using Microsoft.Extensions.Caching.Memory;

namespace LegacyLinking.Web.Data;

/// <summary>
/// A short-lived in-process copy of database rows that every request reads (a session's ticket, its user's cut), so a
/// request does not wait for the database. An entry is served only while <see cref="DatabaseNotifications"/> is
/// listening, is dropped as soon as any instance says it changed, and lives at most <see cref="Lifetime"/> (the bound
/// on staleness should a notification ever be lost with the connection still up). A read that overlapped any change
/// or any loss of the listener is served but not kept, so a value read just before a change cannot outlive it.
/// Without notifications (SQLite) nothing is kept: a SQLite read is a local file read.
/// </summary>
/// <remarks>
/// Not <c>HybridCache</c>: it has no way for another instance to drop an entry from this one's memory, and it keeps
/// a value even when a change arrived while it was being read.
/// </remarks>
public sealed class NotifiedCache : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    /// <summary>Bounds the memory held: an entry is a few KB at most (a ticket), so this many is tens of MB.</summary>
    private const long MaxEntries = 20_000;

    private readonly DatabaseNotifications _notifications;
    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    private long _changes;

    public NotifiedCache(DatabaseNotifications notifications)
    {
        _notifications = notifications;
        notifications.Received += Forget;
        notifications.Reset += ForgetAll;
    }

    private sealed record Entry(object? Value);

    /// <summary>The value under <paramref name="key"/> from memory, or else from <paramref name="read"/> (kept when safe).</summary>
    public async Task<T> GetOrReadAsync<T>(string key, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        if (!_notifications.Listening) return await read(cancellationToken);
        if (_entries.TryGetValue(key, out Entry? hit)) return (T)hit!.Value!;
        var before = Interlocked.Read(ref _changes);
        var value = await read(cancellationToken);
        if (_notifications.Listening && Interlocked.Read(ref _changes) == before)
            _entries.Set(key, new Entry(value), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime, Size = 1 });
        return value;
    }

    /// <summary>Drops the entry (this instance's own write, or another's notification) and anything being read now.</summary>
    public void Forget(string key)
    {
        Interlocked.Increment(ref _changes);
        _entries.Remove(key);
    }

    private void ForgetAll()
    {
        Interlocked.Increment(ref _changes);
        _entries.Clear();
    }

    public void Dispose()
    {
        _notifications.Received -= Forget;
        _notifications.Reset -= ForgetAll;
        _entries.Dispose();
    }
}
