using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Tests.Web.Flags;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Authentication;

/// <summary>
/// Cuts written at once (a reset answered by several requests, a link on another instance, sign out everywhere) each
/// on its own connection: the stored cut only ever moves forward and ends at the latest, whatever order they commit in.
/// </summary>
public abstract class SessionCutRaceTests(AppStackFixture stack)
{
    private const int Writers = 48;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_cuts_never_move_a_users_cut_backwards()
    {
        var epochs = stack.App.Services.GetRequiredService<SessionEpochs>();
        var databases = stack.App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var user = $"auth0|cut-race-{Guid.NewGuid():N}";
        var start = DateTimeOffset.UtcNow;
        // The latest first, so that the earlier ones, which read the cut before it committed, would write after it.
        var times = Enumerable.Range(0, Writers).Select(i => start.AddSeconds(Writers - i)).ToArray();

        var seen = new List<long>();
        using var done = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                if (await CutAsync(databases, user) is { } cut) seen.Add(cut);
                await Task.Delay(1, Ct);
            }
        }, Ct);
        await Task.WhenAll(times.Select(at => Task.Run(() => epochs.CutAtAsync(user, at, Ct), Ct)));
        await done.CancelAsync();
        await watcher;

        Assert.Equal(times.Max().UtcTicks, await CutAsync(databases, user));
        for (var i = 1; i < seen.Count; i++) Assert.True(seen[i] >= seen[i - 1], $"The cut moved back from {seen[i - 1]} to {seen[i]}.");
    }

    private static async Task<long?> CutAsync(IDbContextFactory<AppDbContext> databases, string user)
    {
        await using var db = await databases.CreateDbContextAsync(Ct);
        return await db.SessionCuts.AsNoTracking().Where(c => c.UserId == user).Select(c => (long?)c.Cut).SingleOrDefaultAsync(Ct);
    }
}

public sealed class SessionCutRaceTestsOnSqlite(AppStackFixture stack) : SessionCutRaceTests(stack), IClassFixture<AppStackFixture>;

public sealed class SessionCutRaceTestsOnPostgres(AppOnSharedPostgres stack) : SessionCutRaceTests(stack), IClassFixture<AppOnSharedPostgres>;
