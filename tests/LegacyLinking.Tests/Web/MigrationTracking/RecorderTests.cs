using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Tests.Web.MigrationTracking;

/// <summary>The recorder's queue on its own (no database).</summary>
public sealed class RecorderQueueTests
{
    [Fact]
    public void A_full_queue_drops_and_counts_instead_of_blocking()
    {
        var recorder = new FlowEventRecorder(NullLogger<FlowEventRecorder>.Instance, TimeProvider.System, capacity: 10);
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++) recorder.Record(RecorderTests.Event(i));
        Assert.Equal(990, recorder.Dropped);
        Assert.Equal(10, recorder.Pending);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), "recording must never wait on the database");
    }

    [Fact]
    public void Switched_off_it_records_nothing()
    {
        var recorder = new FlowEventRecorder(NullLogger<FlowEventRecorder>.Instance, TimeProvider.System, capacity: 10, enabled: false);
        for (var i = 0; i < 100; i++) recorder.Record(RecorderTests.Event(i));
        Assert.Equal((false, 0, 0L), (recorder.Enabled, recorder.Pending, recorder.Dropped));
    }
}

/// <summary>The recorder and its background writer on a real database: SQLite and PostgreSQL (see the subclasses).</summary>
public abstract class RecorderTests(MigrationStore store)
{
    internal static FlowEvent Event(int i, DateTime? at = null) => new()
    {
        At = at ?? new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc).AddSeconds(i),
        Operation = "link", Flow = i % 2 == 0 ? "LegacyIdToken" : "AccessToken", Reason = "Percentile", Outcome = "ok",
        DurationMs = 12.5, UserId = $"auth0|user{i % 7}",
    };

    [Fact]
    public async Task The_schema_is_migrated_from_scratch_and_matches_the_model()
    {
        await using var host = await store.StartAsync();
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.False(db.Database.HasPendingModelChanges(), $"the {store} migrations lag behind the model");
        Assert.Equal(store.Provider == "Postgres" ? "Npgsql.EntityFrameworkCore.PostgreSQL" : "Microsoft.EntityFrameworkCore.Sqlite", db.Database.ProviderName);
    }

    /// <summary>
    /// The column table drives the entity, the writer's insert and the exports: every property of the record is one of
    /// its columns, each is in the model with its length, and a value set on each comes back from the database and
    /// out of both exports under its name.
    /// </summary>
    [Fact]
    public async Task Every_column_of_the_table_is_mapped_written_read_back_and_exported()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(typeof(FlowEvent).GetProperties().Select(p => p.Name).Order(), FlowEventColumns.All.Select(c => c.Property).Order());
        await using var host = await store.StartAsync();
        var recorder = host.Services.GetRequiredService<FlowEventRecorder>();
        var written = new FlowEvent
        {
            At = new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc), Operation = "unlink", Flow = "LegacyUnlinkEndpoint", Reason = "QaSession",
            Outcome = "rejected", Status = 404, ErrorCode = "not_found", DurationMs = 12.25, UserId = "sms|column-table",
            Shadow = "would-fail:scope", TraceId = "0af7651916cd43dd8448eb211c80319c",
        };
        recorder.Record(written);
        await host.StopAsync();

        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        var entity = db.Model.FindEntityType(typeof(FlowEvent))!;
        Assert.Equal(FlowEventColumns.Table, entity.GetTableName());
        Assert.All(FlowEventColumns.All, c => Assert.Equal(c.MaxLength, entity.FindProperty(c.Property)!.GetMaxLength()));
        var read = await db.FlowEvents.AsNoTracking().SingleAsync(e => e.UserId == written.UserId, ct);
        Assert.True(read.Id > 0 && read.UserKey > 0);
        Assert.All(FlowEventColumns.Inserted.Where(c => c.Property != nameof(FlowEvent.UserKey)), c => Assert.Equal(c.Read(written), c.Read(read)));

        using var json = new MemoryStream();
        await FlowEventExport.WriteJsonAsync(new[] { read }.ToAsyncEnumerable(), json, ct);
        var row = System.Text.Json.JsonDocument.Parse(json.ToArray()).RootElement[0];
        using var csv = new MemoryStream();
        await FlowEventExport.WriteCsvAsync(new[] { read }.ToAsyncEnumerable(), csv, ct);
        var lines = System.Text.Encoding.UTF8.GetString(csv.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var cells = lines[1].Split(',');
        Assert.Equal(lines[0].Split(','), row.EnumerateObject().Select(p => p.Name));
        Assert.Equal(FlowEventColumns.Exported.Select(c => c.Export), lines[0].Split(','));
        Assert.Equal(read.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), cells[0]);
        foreach (var (column, index) in FlowEventColumns.Exported.Select((c, i) => (c, i)).Skip(2)) // after id and at
        {
            var expected = Convert.ToString(column.Read(written), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(expected, cells[index]);
            Assert.Equal(expected, row.GetProperty(column.Export!).ToString());
        }
        Assert.Equal("2026-11-20T10:00:00.0000000Z", cells[1]);
        Assert.Equal("2026-11-20T10:00:00Z", row.GetProperty("at").GetString());
    }

    [Fact]
    public async Task Graceful_shutdown_flushes_every_queued_event()
    {
        await using var host = await store.StartAsync();
        var recorder = host.Services.GetRequiredService<FlowEventRecorder>();
        // 5,000 events over 1 h 23 min: ten batches whose rollup rows collide, so the upserts add up across batches.
        for (var i = 0; i < 5_000; i++) recorder.Record(Event(i));
        await host.StopAsync();

        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var cancellationToken = TestContext.Current.CancellationToken;
        Assert.Equal(5_000, await db.FlowEvents.CountAsync(cancellationToken));
        Assert.Equal(0, recorder.Dropped);
        var rollups = await db.FlowRollups.AsNoTracking().OrderBy(r => r.Hour).ThenBy(r => r.Flow).ToListAsync(cancellationToken);
        Assert.Equal(
            [(10, "AccessToken", 1800L), (10, "LegacyIdToken", 1800L), (11, "AccessToken", 700L), (11, "LegacyIdToken", 700L)],
            rollups.Select(r => (r.Hour.Hour, r.Flow, r.Count)));
        Assert.All(rollups, r => Assert.Equal(12.5 * r.Count, r.SumMs));
        Assert.Equal(5_000, await db.LatencyRollups.SumAsync(r => r.Count, cancellationToken));
        var userMonths = await db.FlowUserMonths.AsNoTracking().ToListAsync(cancellationToken);
        Assert.Equal(14, userMonths.Count); // 7 users × 2 flows, one month
        Assert.All(userMonths, u => Assert.Equal((new DateTime(2026, 11, 1), 1 << 19), (u.Month, u.Days))); // day 20
    }

    [Fact]
    public async Task A_writer_stopped_before_its_loop_ever_ran_still_writes_the_queue()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await store.StartAsync();
        var recorder = new FlowEventRecorder(NullLogger<FlowEventRecorder>.Instance, TimeProvider.System);
        var journal = new RecordJournal(Path.Combine(host.Folder, "own-journal"), TimeProvider.System, NullLogger<RecordJournal>.Instance);
        var writer = new FlowEventWriter(recorder, host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), journal,
            LegacyLinking.Web.Data.DatabaseFile.None, TimeProvider.System, NullLogger<FlowEventWriter>.Instance, FlowEventWriter.DefaultLinger);
        for (var i = 0; i < 30; i++) recorder.Record(Event(i));

        // A host stopping as it starts: the loop is scheduled with a stopping token that is already cancelled.
        await writer.StartAsync(new CancellationToken(canceled: true));
        await writer.StopAsync(cancellationToken);

        Assert.Equal(30, writer.Written);
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        Assert.Equal(30, await db.FlowEvents.CountAsync(cancellationToken));
    }

    [Fact]
    public async Task A_batch_fills_for_the_configured_linger_and_shutdown_does_not_wait_for_it()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await store.StartAsync(new Dictionary<string, string?> { ["Migration:WriterLingerMilliseconds"] = "60000" });
        var writer = host.Services.GetRequiredService<FlowEventWriter>();
        Assert.Equal(TimeSpan.FromMinutes(1), writer.Linger);
        host.Services.GetRequiredService<FlowEventRecorder>().Record(Event(1));
        await Task.Delay(500, cancellationToken);
        Assert.Equal(0, writer.Written);

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await host.StopAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"shutdown took {stopping.Elapsed}");
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        Assert.Equal(1, await db.FlowEvents.CountAsync(cancellationToken));
    }

    [Fact]
    public async Task A_full_batch_is_written_without_waiting_out_the_linger()
    {
        await using var host = await store.StartAsync(new Dictionary<string, string?> { ["Migration:WriterLingerMilliseconds"] = "60000" });
        var writer = host.Services.GetRequiredService<FlowEventWriter>();
        var recorder = host.Services.GetRequiredService<FlowEventRecorder>();
        for (var i = 0; i < FlowEventWriter.BatchSize + 10; i++) recorder.Record(Event(i));
        for (var attempt = 0; writer.Written < FlowEventWriter.BatchSize && attempt < 300; attempt++) await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(FlowEventWriter.BatchSize, writer.Written); // the other 10 wait for the linger (or shutdown)
    }

    [Fact]
    public async Task Without_a_linger_each_event_is_written_as_it_comes()
    {
        await using var host = await store.StartAsync(new Dictionary<string, string?> { ["Migration:WriterLingerMilliseconds"] = "0" });
        var writer = host.Services.GetRequiredService<FlowEventWriter>();
        host.Services.GetRequiredService<FlowEventRecorder>().Record(Event(1));
        for (var attempt = 0; writer.Written == 0 && attempt < 100; attempt++) await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(1, writer.Written);
    }

    [Theory]
    [InlineData("Migration:WriterLingerMilliseconds", "-1", "a whole number from 0 to 60000")]
    [InlineData("Migration:WriterLingerMilliseconds", "60001", "a whole number from 0 to 60000")]
    [InlineData("Migration:WriterLingerMilliseconds", "1s", "a whole number from 0 to 60000")]
    [InlineData("Migration:QueueCapacity", "0", "a whole number from 1 to 1000000")]
    [InlineData("Migration:QueueCapacity", "ten thousand", "a whole number from 1 to 1000000")]
    public async Task A_malformed_writer_setting_stops_the_start_naming_its_key(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => store.StartAsync(new Dictionary<string, string?> { [key] = value }));
        Assert.Equal([$"Configuration '{key}' is invalid: got '{value}', expected {expected}."], error.Failures);
    }

    [Fact]
    public async Task Each_user_gets_one_key_across_batches_and_writers_and_the_user_filter_finds_their_events()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var noLinger = new Dictionary<string, string?> { ["Migration:WriterLingerMilliseconds"] = "0" };
        await using var first = await store.StartAsync(noLinger);
        await RecordAsync(first, 0, 7);  // users 0–6
        await RecordAsync(first, 7, 14); // the same users: keys from the writer's memory
        await first.StopAsync();
        // Another writer on the same database (a second instance, or a restart): it knows no keys yet.
        await using (var second = await AppDataHost.StartAsync(noLinger, first.ConnectionString, store.Provider))
        {
            await RecordAsync(second, 14, 21);
        }

        await using var db = await first.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        var users = await db.FlowUsers.AsNoTracking().ToDictionaryAsync(u => u.UserId, u => u.Key, cancellationToken);
        Assert.Equal(7, users.Count);
        Assert.Equal(7, users.Values.Distinct().Count());
        var events = await db.FlowEvents.AsNoTracking().ToListAsync(cancellationToken);
        Assert.Equal(21, events.Count);
        Assert.All(events, e => Assert.Equal(users[e.UserId], e.UserKey));

        var filter = new ReportFilter(DateTime.MinValue, DateTime.MaxValue, null, null, null, "auth0|user3", "hour");
        var mine = await EventQuery.Apply(db, filter).ToListAsync(cancellationToken);
        Assert.Equal([17, 10, 3], mine.Select(e => e.At.Second)); // newest first
        Assert.All(mine, e => Assert.Equal("auth0|user3", e.UserId));
        Assert.Empty(await EventQuery.Apply(db, filter with { UserId = "auth0|nobody" }).ToListAsync(cancellationToken));
        Assert.Equal([3], (await EventQuery.Apply(db, filter with { Operation = "link", Flow = "AccessToken", To = Event(14).At }).ToListAsync(cancellationToken)).Select(e => e.At.Second));

        if (store.Provider == "Sqlite")
        {
            // One user's events of one flow are read through the user index, not by scanning the flow's.
            await using var command = EventQuery.Apply(db, filter with { Operation = "link", Flow = "AccessToken" }).CreateDbCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            await db.Database.OpenConnectionAsync(cancellationToken);
            var plan = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken)) plan.Add(reader.GetString(3));
            Assert.Contains(plan, step => step.Contains("USING INDEX IX_flow_events_UserKey (UserKey=?)", StringComparison.Ordinal));
        }

        async Task RecordAsync(AppDataHost host, int from, int to)
        {
            var writer = host.Services.GetRequiredService<FlowEventWriter>();
            var target = writer.Written + to - from;
            for (var i = from; i < to; i++) host.Services.GetRequiredService<FlowEventRecorder>().Record(Event(i));
            for (var attempt = 0; writer.Written < target && attempt < 200; attempt++) await Task.Delay(25, cancellationToken);
            Assert.Equal(target, writer.Written);
        }
    }

    [Fact]
    public async Task Upgrading_numbers_the_users_of_the_events_already_recorded()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await store.StartAsync();
        var recorder = host.Services.GetRequiredService<FlowEventRecorder>();
        for (var i = 0; i < 30; i++) recorder.Record(Event(i));
        await host.StopAsync();
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        var migrator = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>();

        // Back to before user keys (events indexed by user id), then up again: the migration numbers the users itself.
        await migrator.MigrateAsync(db.Database.GetMigrations().Single(m => m.EndsWith("_UserMonths", StringComparison.Ordinal)), cancellationToken);
        var beforeKeys = await db.Database.SqlQueryRaw<string>("""SELECT "UserId" AS "Value" FROM "flow_events" ORDER BY "Id" """).ToListAsync(cancellationToken);
        Assert.Equal(30, beforeKeys.Count);
        await migrator.MigrateAsync(cancellationToken: cancellationToken);

        var users = await db.FlowUsers.AsNoTracking().ToDictionaryAsync(u => u.UserId, u => u.Key, cancellationToken);
        Assert.Equal(7, users.Count);
        var events = await db.FlowEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync(cancellationToken);
        Assert.Equal(beforeKeys, events.Select(e => e.UserId));
        Assert.All(events, e => Assert.Equal(users[e.UserId], e.UserKey));
        var filter = new ReportFilter(DateTime.MinValue, DateTime.MaxValue, null, null, null, "auth0|user5", "hour");
        Assert.Equal([26, 19, 12, 5], (await EventQuery.Apply(db, filter).ToListAsync(cancellationToken)).Select(e => e.At.Second));

        // A writer after the upgrade keys new users after the numbered ones.
        await using var next = await AppDataHost.StartAsync(connectionString: host.ConnectionString, provider: store.Provider);
        var newcomer = Event(0);
        newcomer.UserId = "auth0|new";
        next.Services.GetRequiredService<FlowEventRecorder>().Record(newcomer);
        await next.StopAsync();
        var added = await db.FlowUsers.AsNoTracking().SingleAsync(u => u.UserId == "auth0|new", cancellationToken);
        Assert.True(added.Key > users.Values.Max());
    }

    [Fact]
    public async Task Upgrading_turns_user_days_into_user_months_and_back()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await store.StartAsync();
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        var september = new DateTime(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc);
        db.FlowUserMonths.AddRange(
            new FlowUserMonth { Month = september, Operation = "link", Flow = "AccessToken", UserId = "auth0|a", Days = UserMonths.DayBit(september.AddDays(14)) },
            new FlowUserMonth { Month = september.AddMonths(1), Operation = "link", Flow = "AccessToken", UserId = "auth0|b", Days = 1 << 30 },
            new FlowUserMonth { Month = september.AddMonths(2), Operation = "link", Flow = "AccessToken", UserId = "auth0|a", Days = 0b101 });
        await db.SaveChangesAsync(cancellationToken);
        var before = await db.FlowUserMonths.AsNoTracking().OrderBy(u => u.Month).Select(u => new { u.Month, u.UserId, u.Days }).ToListAsync(cancellationToken);

        // Down to the first migration: one row per user and day again (Sep 15, Oct 31, Nov 1 and Nov 3).
        var migrator = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>();
        await migrator.MigrateAsync(db.Database.GetMigrations().First(), cancellationToken);
        var days = await db.Database.SqlQueryRaw<DateTime>("""SELECT "Day" AS "Value" FROM "flow_user_days" ORDER BY "Day" """).ToListAsync(cancellationToken);
        Assert.Equal([september.AddDays(14), september.AddMonths(1).AddDays(30), september.AddMonths(2), september.AddMonths(2).AddDays(2)], days);

        await migrator.MigrateAsync(cancellationToken: cancellationToken);
        var after = await db.FlowUserMonths.AsNoTracking().OrderBy(u => u.Month).Select(u => new { u.Month, u.UserId, u.Days }).ToListAsync(cancellationToken);
        Assert.Equal(before, after);

        // Distinct users over whole days of a range, across months: first month masked, middle months whole, last masked.
        Assert.Equal(2, await DistinctUsers(new DateTime(2026, 9, 20, 8, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 2, 10, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(2, await DistinctUsers(september, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc))); // a in two months, b
        Assert.Equal(0, await DistinctUsers(new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 3, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(1, await DistinctUsers(new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 3, 0, 0, 1, DateTimeKind.Utc)));
        Assert.Equal(1, await DistinctUsers(new DateTime(2026, 10, 31, 23, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc)));

        Task<int> DistinctUsers(DateTime from, DateTime to) =>
            UserMonths.ActiveIn(db.FlowUserMonths.AsNoTracking(), from, to).Select(u => u.UserId).Distinct().CountAsync(cancellationToken);
    }
}

public sealed class RecorderTestsOnSqlite() : RecorderTests(new SqliteStore());

public sealed class RecorderTestsOnPostgres(PostgresFixture postgres) : RecorderTests(new PostgresStore(postgres));

/// <summary>The writer when the database refuses a batch for a moment (SQLite: another connection holds the write lock).</summary>
public sealed class WriterRetryTests
{
    [Fact]
    public async Task A_batch_refused_while_the_database_is_locked_is_written_once_it_is_free()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("ll-retry-").FullName;
        // A one-second busy timeout, so the writer's attempts fail while the lock is held instead of waiting 30 s.
        var connectionString = $"Data Source={Path.Combine(folder, "app.db")};Default Timeout=1";
        await using var host = await AppDataHost.StartAsync(new Dictionary<string, string?> { ["Migration:WriterLingerMilliseconds"] = "0" }, connectionString);
        var writer = host.Services.GetRequiredService<FlowEventWriter>();

        await using (var other = new Microsoft.Data.Sqlite.SqliteConnection(connectionString))
        {
            await other.OpenAsync(cancellationToken);
            await using (var begin = other.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE"; // the write lock, as another process's long transaction would hold it
                await begin.ExecuteNonQueryAsync(cancellationToken);
            }
            for (var i = 0; i < 10; i++) host.Services.GetRequiredService<FlowEventRecorder>().Record(RecorderTests.Event(i));
            await Task.Delay(TimeSpan.FromSeconds(2.5), cancellationToken);
            Assert.Equal(0, writer.Written);
            await using var rollback = other.CreateCommand();
            rollback.CommandText = "ROLLBACK"; // the lock ends (closing alone would keep it in the connection pool)
            await rollback.ExecuteNonQueryAsync(cancellationToken);
        }

        // The refused batch waits in the journal; the writer asks the database again after its outage probe (5 s).
        for (var attempt = 0; writer.Written < 10 && attempt < 400; attempt++) await Task.Delay(50, cancellationToken);
        Assert.Equal((10L, 0L), (writer.Written, writer.Lost));
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        Assert.Equal(10, await db.FlowEvents.CountAsync(cancellationToken));
        Assert.Equal(10, await db.FlowRollups.SumAsync(r => r.Count, cancellationToken));
    }

    [Fact]
    public async Task A_batch_the_database_cannot_take_is_counted_as_lost()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await AppDataHost.StartAsync(new Dictionary<string, string?> { ["Migration:WriterLingerMilliseconds"] = "0" });
        var writer = host.Services.GetRequiredService<FlowEventWriter>();
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken))
            await db.Database.ExecuteSqlRawAsync("""ALTER TABLE "flow_events" RENAME TO "flow_events_elsewhere" """, cancellationToken);

        host.Services.GetRequiredService<FlowEventRecorder>().Record(RecorderTests.Event(1));
        for (var attempt = 0; writer.Lost == 0 && attempt < 100; attempt++) await Task.Delay(50, cancellationToken);
        Assert.Equal((0L, 1L), (writer.Written, writer.Lost)); // not retried: a missing table does not come back by waiting
    }
}

/// <summary>The writer's memory of the user days it stored (so later batches skip them), and the day masks.</summary>
public sealed class UserDaysWrittenTests
{
    private static readonly DateTime Day = new(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Remembers_rows_until_a_new_day_starts()
    {
        var written = new UserDaysWritten();
        var monday = new UserDay(Day, "link", "AccessToken", "auth0|a");
        Assert.False(written.Contains(monday));
        written.Remember([monday]);
        Assert.True(written.Contains(monday));

        var tuesday = monday with { Day = Day.AddDays(1) };
        written.Remember([tuesday]);
        Assert.True(written.Contains(tuesday));
        Assert.False(written.Contains(monday)); // forgotten: a late event of Monday is upserted again (DO NOTHING)
    }

    [Theory]
    [InlineData(1, 1, 0b1)]
    [InlineData(1, 3, 0b111)]
    [InlineData(5, 10, 0b11_1111_0000)]
    [InlineData(1, 31, int.MaxValue)]
    [InlineData(31, 31, 1 << 30)]
    public void Day_bits_cover_the_days_inclusive(int first, int last, int expected) =>
        Assert.Equal(expected, UserMonths.DayBits(new DateTime(2026, 10, first), new DateTime(2026, 10, last)));

    [Fact]
    public void Stays_bounded()
    {
        var written = new UserDaysWritten();
        var rows = Enumerable.Range(0, UserDaysWritten.MaxRows + 1).Select(i => new UserDay(Day, "link", "AccessToken", $"auth0|{i}")).ToList();
        written.Remember(rows);
        Assert.False(written.Contains(rows[0]));
        Assert.True(written.Contains(rows[^1]));
    }
}
