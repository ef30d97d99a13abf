using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Tests.Web.MigrationTracking;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Authentication;
using LegacyLinking.Web.Data;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.PasswordReset;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LegacyLinking.Tests.Web.PasswordReset;

/// <summary>How the app remembers which password reset it answered, on SQLite and PostgreSQL.</summary>
public abstract class PasswordResetReviewStoreTests(MigrationStore store)
{
    [Fact]
    public async Task A_reset_is_answered_once_and_a_later_one_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await store.StartAsync();
        var review = Review(host);
        var user = new User { UserId = "auth0|reset", Identities = [new Identity { Provider = "auth0", UserId = "reset" }] };
        Assert.False(await review.IsDueAsync(user, ct));

        // Milliseconds, as the tenant reports them; the stores keep them exactly enough not to answer it twice.
        var now = DateTimeOffset.UtcNow;
        user.LastPasswordReset = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, 123, TimeSpan.Zero).AddMinutes(1);
        Assert.True(await review.IsDueAsync(user, ct));
        var answered = await review.DetachAfterResetAsync(user, new PrimaryUser(user.UserId, null, null), ct);
        Assert.NotNull(answered); // answered now,
        Assert.Empty(answered); // with nothing linked to detach or review
        Assert.Null(await review.DetachAfterResetAsync(user, new PrimaryUser(user.UserId, null, null), ct)); // and only once
        Assert.False(await review.IsDueAsync(user, ct));
        Assert.Empty(await review.PendingAsync(user.UserId, ct));

        user.LastPasswordReset = user.LastPasswordReset.Value.AddSeconds(1);
        Assert.True(await review.IsDueAsync(user, ct));
    }

    [Fact]
    public async Task Resets_from_before_the_app_watched_for_them_are_not_answered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await store.StartAsync();
        var review = Review(host);
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        var since = await db.IngestionCheckpoints.SingleAsync(c => c.Name == PasswordResetReview.AnsweredSinceCheckpoint, ct);
        var watching = DateTimeOffset.Parse(since.Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(watching, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddSeconds(1)); // the migration's moment

        // A user who reset their password long before this deployment keeps their linked identities...
        var user = new User { UserId = "auth0|old-reset", LastPasswordReset = watching.AddDays(-200) };
        Assert.False(await review.IsDueAsync(user, ct));
        // ...and their next reset is answered.
        user.LastPasswordReset = watching.AddSeconds(1);
        Assert.True(await review.IsDueAsync(user, ct));

        // Without the checkpoint (a team that wants older resets answered deletes it), every reset counts.
        db.IngestionCheckpoints.Remove(since);
        await db.SaveChangesAsync(ct);
        user.LastPasswordReset = watching.AddDays(-200);
        Assert.True(await review.IsDueAsync(user, ct));
    }

    [Fact]
    public async Task The_detached_identities_are_shown_until_the_review_is_done()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await store.StartAsync();
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct))
        {
            db.IdentityReviews.Add(new IdentityReview
            {
                UserId = "auth0|owner", PasswordResetAt = DateTime.UtcNow,
                Detached = "github|1234567|github\nsms|560ebaeef609ee1adaa7c551|sms",
            });
            await db.SaveChangesAsync(ct);
        }
        var review = Review(host);

        Assert.Equal(
            [new DetachedIdentity("github", "1234567", "github"), new DetachedIdentity("sms", "560ebaeef609ee1adaa7c551", "sms")],
            await review.PendingAsync("auth0|owner", ct));
        Assert.Empty(await review.PendingAsync("auth0|someone-else", ct));
        await review.CompleteAsync("auth0|owner", ct);
        Assert.Empty(await review.PendingAsync("auth0|owner", ct));
    }

    // No unlink flows: these cases never detach anything.
    private static PasswordResetReview Review(AppDataHost host) => new(
        host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), null!, null!, TimeProvider.System, NullLogger<PasswordResetReview>.Instance);
}

public sealed class PasswordResetReviewStoreTestsOnSqlite() : PasswordResetReviewStoreTests(new SqliteStore());

public sealed class PasswordResetReviewStoreTestsOnPostgres(PostgresFixture postgres) : PasswordResetReviewStoreTests(new PostgresStore(postgres));
