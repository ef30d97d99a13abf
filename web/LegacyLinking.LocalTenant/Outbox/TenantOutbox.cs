using LegacyLinking.LocalTenant.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.LocalTenant.Outbox;

/// <summary>What an email says; <see cref="Link"/> is the one link the reader is asked to open.</summary>
public sealed record OutgoingEmail(string To, string Subject, string Text, string? Link);

/// <summary>
/// The tenant's mail: kept, not sent. The dashboard's "Sent emails" and <c>GET /test/emails</c> read it, as a
/// developer or a test would read a mailbox. It holds whatever the emails carry (reset links included), so it is shown
/// only by the loopback-only developer tools.
/// </summary>
public sealed class TenantOutbox(TenantDbContext db, TimeProvider clock)
{
    /// <summary>The newest emails kept; older ones are dropped as new ones arrive.</summary>
    public const int Capacity = 500;

    public async Task SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        db.Outbox.Add(new OutboxEmail
        {
            SentAt = clock.GetUtcNow(),
            To = email.To.ToLowerInvariant(),
            Subject = email.Subject,
            Text = email.Text,
            Link = email.Link,
        });
        await db.SaveChangesAsync(cancellationToken);
        // A tenant left running for weeks keeps a mailbox's worth, not every email ever sent.
        var oldestKept = await db.Outbox.OrderByDescending(e => e.Id).Skip(Capacity - 1).Select(e => (long?)e.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (oldestKept is { } cut) await db.Outbox.Where(e => e.Id < cut).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Oldest first, optionally only those to <paramref name="to"/> (case-insensitive).</summary>
    public async Task<IReadOnlyList<OutboxEmail>> ListAsync(string? to, CancellationToken cancellationToken)
    {
        var recipient = to?.Trim().ToLowerInvariant();
        return await db.Outbox.AsNoTracking()
            .Where(e => recipient == null || e.To == recipient)
            .OrderBy(e => e.Id)
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxEmail>> NewestAsync(int count, CancellationToken cancellationToken) =>
        await db.Outbox.AsNoTracking().OrderByDescending(e => e.Id).Take(count).ToListAsync(cancellationToken);

    public Task ClearAsync(CancellationToken cancellationToken) => db.Outbox.ExecuteDeleteAsync(cancellationToken);
}
