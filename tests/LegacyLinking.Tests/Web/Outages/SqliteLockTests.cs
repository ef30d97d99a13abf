using System.Diagnostics;
using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Flags;
using Microsoft.Data.Sqlite;

namespace LegacyLinking.Tests.Web.Outages;

/// <summary>
/// Another process holds the SQLite file's write lock (as a long transaction or a backup would): reads and pages that
/// need no database carry on, a write waits the busy timeout and answers 503, records wait and are written once it is free.
/// </summary>
public sealed class SqliteLockTests(AppStackFixture stack) : IClassFixture<AppStackFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task While_the_file_is_locked_writes_answer_503_and_records_wait_for_it()
    {
        var qa = stack.NewBrowser();
        await qa.SignInAsQaAsync();
        var john = stack.NewBrowser();
        await john.SignInAsJohnAsync();
        var since = DateTime.UtcNow;

        await using (var other = new SqliteConnection($"Data Source={Path.Combine(stack.DataDirectory, "app.db")}"))
        {
            await other.OpenAsync(Ct);
            await using (var begin = other.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync(Ct);
            }

            var refused = await john.PostUnlinkAsync("google-oauth2", "115015401343387192604");
            Assert.StartsWith("Error: This is the account you sign in with", refused.Status);
            var (console, flags) = await qa.GetPageAsync("/Qa/Flags");
            Assert.Equal(HttpStatusCode.OK, console.StatusCode);
            var clock = Stopwatch.StartNew();
            var write = await qa.ConfirmGlobalAsync(await qa.ClickAsync(flags, "/Qa/Flags", "apply-global-MergeMetadata", form => form.Set("value", OnOff.Off)));
            await DatabaseOutageTests.AssertOutagePageAsync(write, qaDetail: true);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the write waited {clock.Elapsed} on the lock");
            Assert.Equal(HttpStatusCode.OK, (await qa.Http.GetAsync("/Migration", Ct)).StatusCode); // WAL: readers are not blocked
            await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
            Assert.Empty(await stack.EventsAsync(e => e.At >= since && e.Operation == "unlink", atLeast: 0));
            await using var rollback = other.CreateCommand();
            rollback.CommandText = "ROLLBACK"; // the lock ends (closing alone would keep it in the connection pool)
            await rollback.ExecuteNonQueryAsync(Ct);
        }

        // The writer holds the batch and tries again every few seconds (each try may itself wait out the busy timeout).
        var stored = await DatabaseOutageTests.PollAsync(
            () => stack.EventsAsync(e => e.At >= since && e is { Operation: "unlink", Outcome: "refused" } && e.UserId == Seeded.John, atLeast: 0),
            events => events.Count > 0);
        Assert.Single(stored);
        var (_, after) = await qa.GetPageAsync("/Qa/Flags");
        Assert.NotEqual(OnOff.Off, after.QuerySelector("[data-test='effective-MergeMetadata']")?.TextContent); // the refused write did not happen
    }
}
