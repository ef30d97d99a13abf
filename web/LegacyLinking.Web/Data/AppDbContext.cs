using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.PasswordReset;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.Data;

/// <summary>
/// The app's own store (flag overrides and their audit; the migration records come with the migration page; the Data
/// Protection key ring every instance shares). One model, two providers: each provider has its own subclass so it
/// carries its own migrations.
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<FlagOverride> FlagOverrides => Set<FlagOverride>();
    public DbSet<FlagAuditEntry> FlagAudit => Set<FlagAuditEntry>();
    public DbSet<FlowEvent> FlowEvents => Set<FlowEvent>();
    public DbSet<FlowUser> FlowUsers => Set<FlowUser>();
    public DbSet<FlowRollup> FlowRollups => Set<FlowRollup>();
    public DbSet<LatencyRollup> LatencyRollups => Set<LatencyRollup>();
    public DbSet<FlowUserMonth> FlowUserMonths => Set<FlowUserMonth>();
    public DbSet<TenantLogEvent> TenantLogEvents => Set<TenantLogEvent>();
    public DbSet<IngestionCheckpoint> IngestionCheckpoints => Set<IngestionCheckpoint>();
    public DbSet<TenantLogReaderState> TenantLogReader => Set<TenantLogReaderState>();
    public DbSet<CacheEntry> CacheEntries => Set<CacheEntry>();
    public DbSet<Authentication.SessionCut> SessionCuts => Set<Authentication.SessionCut>();
    public DbSet<IdentityReview> IdentityReviews => Set<IdentityReview>();
    public DbSet<RecordGap> RecordGaps => Set<RecordGap>();
    public DbSet<RecordJournalReplay> RecordJournalReplays => Set<RecordJournalReplay>();
    public DbSet<Ramp.RampPlan> RampPlans => Set<Ramp.RampPlan>();
    public DbSet<Ramp.RampEvent> RampEvents => Set<Ramp.RampEvent>();
    public DbSet<Ramp.RampLease> RampLeases => Set<Ramp.RampLease>();

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
            entity.Property(e => e.ActorName).HasMaxLength(256);
            entity.Property(e => e.ActorEmail).HasMaxLength(256);
            entity.HasIndex(e => e.At);
        });
        modelBuilder.Entity<FlowEvent>(entity =>
        {
            entity.ToTable(FlowEventColumns.Table);
            entity.HasKey(e => e.Id);
            foreach (var column in FlowEventColumns.All)
                if (column.MaxLength is { } length) entity.Property(column.Property).HasMaxLength(length);
            // The event list reads by time, first/last seen by flow and time, one user's events by user key.
            entity.HasIndex(e => e.At);
            entity.HasIndex(e => new { e.Operation, e.Flow, e.At });
            entity.HasIndex(e => e.UserKey);
        });
        modelBuilder.Entity<FlowUser>(entity =>
        {
            entity.ToTable("flow_users");
            entity.HasKey(e => e.Key);
            entity.Property(e => e.Key).ValueGeneratedOnAdd();
            entity.Property(e => e.UserId).HasMaxLength(256);
            entity.HasIndex(e => e.UserId).IsUnique();
        });
        modelBuilder.Entity<FlowRollup>(entity =>
        {
            entity.ToTable("flow_rollups");
            entity.HasKey(e => new { e.Hour, e.Operation, e.Flow, e.Outcome, e.ErrorCode, e.Shadow });
            Keys(entity.Property(e => e.Operation), entity.Property(e => e.Flow), entity.Property(e => e.Outcome));
            entity.Property(e => e.ErrorCode).HasMaxLength(64);
            entity.Property(e => e.Shadow).HasMaxLength(128);
        });
        modelBuilder.Entity<LatencyRollup>(entity =>
        {
            entity.ToTable("latency_rollups");
            entity.HasKey(e => new { e.Hour, e.Operation, e.Flow, e.Bucket });
            Keys(entity.Property(e => e.Operation), entity.Property(e => e.Flow));
        });
        modelBuilder.Entity<FlowUserMonth>(entity =>
        {
            entity.ToTable("flow_user_months");
            entity.HasKey(e => new { e.Month, e.Operation, e.Flow, e.UserId });
            // Covers the users-active-in-a-range count (the QA console's confirmation step): read by month from the index
            // alone, without a visit to each row for its day bits (1.2 s → 0.4 s over 200,000 rows of two months in SQLite).
            entity.HasIndex(e => new { e.Month, e.Days, e.Operation, e.UserId });
            Keys(entity.Property(e => e.Operation), entity.Property(e => e.Flow));
            entity.Property(e => e.UserId).HasMaxLength(256);
        });
        modelBuilder.Entity<TenantLogEvent>(entity =>
        {
            entity.ToTable("tenant_log_events");
            entity.HasKey(e => e.LogId);
            entity.Property(e => e.LogId).HasMaxLength(64);
            entity.Property(e => e.Type).HasMaxLength(16);
            entity.Property(e => e.Feature).HasMaxLength(64);
            entity.Property(e => e.Description).HasMaxLength(512);
            entity.Property(e => e.ClientId).HasMaxLength(128);
            entity.Property(e => e.ClientName).HasMaxLength(256);
            entity.Property(e => e.UserId).HasMaxLength(256);
            entity.HasIndex(e => new { e.Type, e.Date });
            entity.HasIndex(e => new { e.Feature, e.ClientId });
        });
        modelBuilder.Entity<TenantLogReaderState>(entity =>
        {
            entity.ToTable("tenant_log_reader");
            entity.HasKey(e => e.Name);
            entity.Property(e => e.Name).HasMaxLength(64);
            entity.Property(e => e.NextLink).HasMaxLength(2048);
            entity.Property(e => e.Checkpoint).HasMaxLength(64);
            entity.Property(e => e.LastError).HasMaxLength(512);
        });
        modelBuilder.Entity<CacheEntry>(entity =>
        {
            entity.ToTable("cache_entries");
            entity.HasKey(e => e.Key);
            entity.Property(e => e.Key).HasMaxLength(449);
            entity.HasIndex(e => e.ExpiresAt);
        });
        modelBuilder.Entity<Authentication.SessionCut>(entity =>
        {
            entity.ToTable("session_cuts");
            entity.HasKey(e => e.UserId);
            entity.Property(e => e.UserId).HasMaxLength(256);
        });
        modelBuilder.Entity<IdentityReview>(entity =>
        {
            entity.ToTable("identity_reviews");
            entity.HasKey(e => e.UserId);
            entity.Property(e => e.UserId).HasMaxLength(256);
        });
        modelBuilder.Entity<RecordGap>(entity =>
        {
            entity.ToTable("record_gaps");
            entity.HasKey(e => e.Id);
            entity.Property(e => e.Kind).HasMaxLength(16);
            entity.Property(e => e.Instance).HasMaxLength(128);
            entity.HasIndex(e => e.From);
        });
        modelBuilder.Entity<RecordJournalReplay>(entity =>
        {
            entity.ToTable("record_journal_replays");
            entity.HasKey(e => e.File);
            entity.Property(e => e.File).HasMaxLength(96);
        });
        Ramp.RampModel.Configure(modelBuilder);
        modelBuilder.Entity<DataProtectionKey>(entity => entity.ToTable("data_protection_keys"));
        modelBuilder.Entity<IngestionCheckpoint>(entity =>
        {
            entity.ToTable("ingestion_checkpoints");
            entity.HasKey(e => e.Name);
            entity.Property(e => e.Name).HasMaxLength(64);
            entity.Property(e => e.Value).HasMaxLength(256);
        });
    }

    private static void Keys(params Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<string>[] properties)
    {
        foreach (var property in properties) property.HasMaxLength(32);
    }
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options);

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);
