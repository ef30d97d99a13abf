using LegacyLinking.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(PostgresFixture))]

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run (an xunit assembly fixture): started on first use, so a run
/// that touches no PostgreSQL test pays nothing, then stopped and its temp folder deleted when the run ends. Each
/// caller gets a fresh, empty database of its own. Without PostgreSQL on the machine the tests that need it fail,
/// naming what to install (CI installs it through scripts/install-prerequisites.sh).
/// </summary>
public sealed class PostgresFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PostgresCluster? _cluster;
    private int _databases;

    /// <summary>The running cluster (started by the first call).</summary>
    public async Task<PostgresCluster> ClusterAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _cluster ??= await PostgresCluster.StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Creates a fresh empty database named after <paramref name="label"/>; answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string label)
    {
        var cluster = await ClusterAsync();
        var name = $"{new string(label.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray())}_{Interlocked.Increment(ref _databases)}";
        return await cluster.CreateDatabaseAsync(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        _gate.Dispose();
    }
}
