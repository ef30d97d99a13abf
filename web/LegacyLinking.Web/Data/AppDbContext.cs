using LegacyLinking.Web.Flags;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.Data;

/// <summary>
/// The app's own store (flag overrides and their audit; the migration records come with the migration page).
/// One model, two providers: each provider has its own subclass so it carries its own migrations.
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<FlagOverride> FlagOverrides => Set<FlagOverride>();
    public DbSet<FlagAuditEntry> FlagAudit => Set<FlagAuditEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FlagOverride>(entity =>
        {
            entity.ToTable("flag_overrides");
            entity.HasKey(e => e.Flag);
            entity.Property(e => e.Flag).HasMaxLength(64);
            entity.Property(e => e.Value).HasMaxLength(64);
            entity.Property(e => e.UpdatedBy).HasMaxLength(256);
        });
        modelBuilder.Entity<FlagAuditEntry>(entity =>
        {
            entity.ToTable("flag_audit");
            entity.HasKey(e => e.Id);
            entity.Property(e => e.Flag).HasMaxLength(64);
            entity.Property(e => e.Scope).HasMaxLength(16);
            entity.Property(e => e.OldValue).HasMaxLength(64);
            entity.Property(e => e.NewValue).HasMaxLength(64);
            entity.Property(e => e.Actor).HasMaxLength(256);
            entity.HasIndex(e => e.At);
        });
    }
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options);

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);
