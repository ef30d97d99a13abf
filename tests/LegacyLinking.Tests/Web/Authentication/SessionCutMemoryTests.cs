using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Authentication;

/// <summary>
/// The cuts an instance remembers for a database outage are bounded: the most recently seen users' latest cuts are
/// answered while the database is down, older ones are dropped, and a remembered cut never moves back.
/// </summary>
public sealed class SessionCutMemoryTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task During_an_outage_only_the_most_recently_seen_users_cuts_are_answered()
    {
        var databases = new SwitchableDatabase(stack.App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>());
        var cuts = new SessionCuts(databases, stack.App.Services.GetRequiredService<NotifiedCache>(), lastKnownCapacity: 3);
        var users = Enumerable.Range(0, 5).Select(i => $"auth0|bounded-{i}-{Guid.NewGuid():N}").ToArray();
        for (var i = 0; i < users.Length; i++) await cuts.RaiseAsync(users[i], 1_000 + i, Ct);
        Assert.Equal(1_000, await cuts.ReadAsync(users[0], Ct)); // read from the database, and so seen again
        await cuts.RaiseAsync(users[4], 10, Ct); // an earlier cut arriving late moves nothing back

        databases.Down = true;
        var answered = new List<long?>();
        foreach (var user in users) answered.Add(await cuts.ReadAsync(user, Ct));

        Assert.Equal([1_000, null, null, 1_003, 1_004], answered);
    }

    /// <summary>The app's database, or (while <see cref="Down"/>) a SQLite file that cannot be opened.</summary>
    private sealed class SwitchableDatabase(IDbContextFactory<AppDbContext> real) : IDbContextFactory<AppDbContext>
    {
        public bool Down { get; set; }

        public AppDbContext CreateDbContext() => Down
            ? new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>()
                .UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), "ll-missing-" + Guid.NewGuid().ToString("N"), "app.db")};Mode=ReadWrite").Options)
            : real.CreateDbContext();
    }
}
