using Npgsql;

namespace LegacyLinking.Web.Data;

/// <summary>
/// Tells the other instances on the same PostgreSQL database that something they may hold in memory changed (a
/// session cut, a ticket renewed or removed, a global flag override), through <c>LISTEN/NOTIFY</c>: one listening
/// connection per instance, opened again by itself after the database went away. While it is not listening
/// (<see cref="Listening"/> false: SQLite, not yet connected, or the connection lost), nothing may be served from
/// memory that another instance could have changed: readers go to the database. Every loss and every new connection
/// raises <see cref="Reset"/>, since notifications sent in between are gone.
/// </summary>
public sealed class DatabaseNotifications(string? postgresConnectionString, ILogger<DatabaseNotifications> logger) : BackgroundService
{
    public const string Channel = "legacylinking";

    /// <summary>How long an idle listening connection waits before it checks the database still answers.</summary>
    private const int KeepAliveSeconds = 5;

    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

    private volatile bool _listening;

    /// <summary>Whether notifications from the other instances reach this one right now.</summary>
    public bool Listening => _listening;

    /// <summary>A notification's payload, from any instance (this one included).</summary>
    public event Action<string>? Received;

    /// <summary>Listening started or stopped: whatever was kept in memory may have changed unnoticed.</summary>
    public event Action? Reset;

    /// <summary>Whether instances notify each other at all (PostgreSQL).</summary>
    public bool Enabled => postgresConnectionString is not null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (postgresConnectionString is null) return;
        var settings = new NpgsqlConnectionStringBuilder(postgresConnectionString)
        {
            KeepAlive = KeepAliveSeconds,
            Pooling = false,
            ApplicationName = "LegacyLinking notifications",
        }.ConnectionString;
        var failures = 0;
        DateTimeOffset? failingSince = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings);
                connection.Notification += (_, e) => Received?.Invoke(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                SetListening(true);
                if (failingSince is { } since)
                    logger.LogInformation("Listening to the other instances again (lost since {Since:O}).", since);
                failures = 0;
                failingSince = null;
                while (true) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                SetListening(false);
                if (failingSince is null)
                    logger.LogWarning("Not listening to the other instances ({Error}); reading from the database until it is back.", e.Message);
                failingSince ??= DateTimeOffset.UtcNow;
                try { await Task.Delay(Backoff[Math.Min(failures++, Backoff.Length - 1)], stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
        SetListening(false);
    }

    private void SetListening(bool listening)
    {
        if (_listening == listening) return;
        // Off before the reset (nothing is kept from here on), on after it (nothing kept before it survives).
        if (!listening) _listening = false;
        Reset?.Invoke();
        if (listening) _listening = true;
    }

    /// <summary>
    /// Notifies every instance of <paramref name="payload"/> now, outside any transaction. A failure is logged, not
    /// thrown: the change itself is written, and the other instances' copies expire within <see cref="NotifiedCache.Lifetime"/>.
    /// </summary>
    public async Task PublishAsync(string payload)
    {
        if (postgresConnectionString is null) return;
        try
        {
            await using var connection = new NpgsqlConnection(postgresConnectionString);
            await connection.OpenAsync();
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            notify.Parameters.AddWithValue("channel", Channel);
            notify.Parameters.AddWithValue("payload", payload);
            await notify.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            logger.LogWarning("Could not tell the other instances of a change ({Error}); their copies expire within {Seconds} s.",
                e.Message, NotifiedCache.Lifetime.TotalSeconds);
        }
    }

    /// <summary>The statement that notifies every instance of <paramref name="payload"/> when its transaction commits.</summary>
    public static FormattableString Notify(string payload) => $"SELECT pg_notify({Channel}, {payload})";
}
