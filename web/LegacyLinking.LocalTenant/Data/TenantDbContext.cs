using LegacyLinking.LocalTenant.Logs;
using LegacyLinking.LocalTenant.TenantFlags;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LegacyLinking.LocalTenant.Data;

/// <summary>
/// The tenant's store: Auth0's users, identities and connections, password-reset tickets and the outbox, plus OpenIddict's
/// own entities (clients, tokens).
/// </summary>
public sealed class TenantDbContext(DbContextOptions<TenantDbContext> options) : DbContext(options)
{
    public DbSet<TenantUser> Users => Set<TenantUser>();
    public DbSet<TenantIdentity> Identities => Set<TenantIdentity>();
    public DbSet<TenantConnection> Connections => Set<TenantConnection>();
    public DbSet<ClientGrant> ClientGrants => Set<ClientGrant>();
    public DbSet<TenantSession> Sessions => Set<TenantSession>();
    public DbSet<PasswordlessCode> PasswordlessCodes => Set<PasswordlessCode>();
    public DbSet<PasswordResetTicket> PasswordResetTickets => Set<PasswordResetTicket>();
    public DbSet<OutboxEmail> Outbox => Set<OutboxEmail>();
    public DbSet<StoredKey> Keys => Set<StoredKey>();
    public DbSet<TenantMeta> Meta => Set<TenantMeta>();
    public DbSet<TenantLogEvent> Logs => Set<TenantLogEvent>();
    public DbSet<TenantFlagOverride> FlagOverrides => Set<TenantFlagOverride>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset text; as binary (UTC everywhere) it can.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        modelBuilder.Entity<TenantUser>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.UserId);
            user.HasIndex(u => u.Email);
            user.HasMany(u => u.Identities).WithOne(i => i.User).HasForeignKey(i => i.UserId)
                .OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<TenantIdentity>(identity =>
        {
            identity.ToTable("identities");
            identity.HasIndex(i => new { i.Provider, i.ProviderUserId }).IsUnique();
            identity.HasIndex(i => new { i.Connection, i.LoginName }).IsUnique();
            identity.Ignore(i => i.Sub);
        });

        modelBuilder.Entity<TenantConnection>(connection =>
        {
            connection.ToTable("connections");
            connection.HasIndex(c => c.Name).IsUnique();
            connection.Ignore(c => c.IsDatabase).Ignore(c => c.IsPasswordless).Ignore(c => c.IsSocial);
        });

        modelBuilder.Entity<ClientGrant>(grant =>
        {
            grant.ToTable("client_grants");
            grant.HasIndex(g => new { g.ClientId, g.Audience }).IsUnique();
        });

        modelBuilder.Entity<TenantSession>().ToTable("sessions");
        modelBuilder.Entity<PasswordlessCode>(code =>
        {
            code.ToTable("passwordless_codes");
            code.HasIndex(c => c.Phone);
        });
        modelBuilder.Entity<PasswordResetTicket>(ticket =>
        {
            ticket.ToTable("password_reset_tickets");
            ticket.HasIndex(t => t.SecretHash).IsUnique();
            // A deleted user's links die with it.
            ticket.HasOne(t => t.Identity).WithMany().HasForeignKey(t => t.IdentityId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<OutboxEmail>(email =>
        {
            email.ToTable("outbox");
            email.HasIndex(e => e.To);
        });
        modelBuilder.Entity<StoredKey>().ToTable("keys");
        modelBuilder.Entity<TenantMeta>(meta =>
        {
            meta.ToTable("meta");
            meta.HasKey(m => m.Key);
        });
        modelBuilder.Entity<TenantLogEvent>(log =>
        {
            log.ToTable("logs");
            log.HasIndex(l => l.Type);
            log.HasIndex(l => l.Date);
            log.HasIndex(l => l.UserId);
        });
        modelBuilder.Entity<TenantFlagOverride>(flag =>
        {
            flag.ToTable("tenant_flags");
            flag.HasKey(f => f.Name);
        });
    }
}
