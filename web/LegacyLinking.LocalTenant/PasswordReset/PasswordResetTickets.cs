using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Logs;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.LocalTenant.PasswordReset;

/// <summary>Why a reset link does not work, or that it does.</summary>
public enum TicketState
{
    Valid,
    Unknown,
    Expired,
    Used,
}

/// <summary>A link's ticket as found; <see cref="Ticket"/> (with its identity and user) only when it is usable.</summary>
public sealed record TicketLookup(TicketState State, PasswordResetTicket? Ticket = null);

/// <summary>
/// The reset links of database identities: a random secret in the link, only its SHA-256 stored; single use; valid for
/// <see cref="Lifetime"/>. Using one sets the password and <c>last_password_reset</c> (as <c>PATCH /users/{id}</c> with a
/// password does), voids the identity's other links and writes Auth0's <c>scp</c> log event.
/// </summary>
public sealed class PasswordResetTickets(
    TenantDbContext db, IPasswordHasher<TenantIdentity> passwordHasher, TenantLog log, TimeProvider clock)
{
    /// <summary>Auth0's default lifetime of the link in its change-password email (432000 s).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(5);

    private const int SecretBytes = 32;

    /// <summary>Longer input cannot be a ticket of this tenant; it is not even hashed.</summary>
    private const int MaxSecretLength = 64;

    /// <summary>A new ticket for <paramref name="identity"/>; returns the secret, which only the email carries.</summary>
    public async Task<string> IssueAsync(TenantIdentity identity, string? clientId, CancellationToken cancellationToken)
    {
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        var now = clock.GetUtcNow();
        db.PasswordResetTickets.Add(new PasswordResetTicket
        {
            SecretHash = Hash(secret), IdentityId = identity.Id, ClientId = clientId, CreatedAt = now, ExpiresAt = now + Lifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    public async Task<TicketLookup> FindAsync(string? secret, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > MaxSecretLength) return new TicketLookup(TicketState.Unknown);
        var hash = Hash(secret);
        var ticket = await db.PasswordResetTickets.Include(t => t.Identity).ThenInclude(i => i!.User)
            .SingleOrDefaultAsync(t => t.SecretHash == hash, cancellationToken);
        if (ticket is null) return new TicketLookup(TicketState.Unknown);
        if (ticket.UsedAt is not null) return new TicketLookup(TicketState.Used);
        if (ticket.ExpiresAt <= clock.GetUtcNow()) return new TicketLookup(TicketState.Expired);
        return new TicketLookup(TicketState.Valid, ticket);
    }

    /// <summary>
    /// Sets <paramref name="newPassword"/> (already checked against the password policy) through a ticket from
    /// <see cref="FindAsync"/>. False when the ticket was used or expired in the meantime: nothing is changed then.
    /// </summary>
    public async Task<bool> ResetAsync(PasswordResetTicket ticket, string newPassword, CancellationToken cancellationToken)
    {
        var identity = ticket.Identity!;
        var now = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Claimed only while still unused, so two submits of one link cannot both set a password.
            var claimed = await db.PasswordResetTickets.Where(t => t.Id == ticket.Id && t.UsedAt == null && t.ExpiresAt > now)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, now), cancellationToken);
            if (claimed == 0) return false;
            // Older links in the mailbox must not set the password again after this reset.
            await db.PasswordResetTickets.Where(t => t.IdentityId == identity.Id && t.UsedAt == null)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, now), cancellationToken);

            identity.PasswordHash = passwordHasher.HashPassword(identity, newPassword);
            identity.User!.LastPasswordReset = now;
            identity.User.UpdatedAt = now;
            // The link was opened from that mailbox: as at Auth0, a reset through it verifies the address it was sent to.
            if (identity.Position == 0 && string.Equals(identity.User.Email, identity.LoginName, StringComparison.OrdinalIgnoreCase))
                identity.User.EmailVerified = true;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await log.WriteAsync(TenantLogEntry.About(identity, LogTypes.SuccessChangePassword, "Success Change Password", ticket.ClientId),
            cancellationToken);
        return true;
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
