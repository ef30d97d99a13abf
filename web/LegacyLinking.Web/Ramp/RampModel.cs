using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.Web.Ramp;

/// <summary>The ramp's tables in the app's database (kept here so the shared context gains one line).</summary>
public static class RampModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RampPlan>(entity =>
        {
            entity.ToTable("ramp_plans");
            entity.HasKey(e => e.Operation);
            entity.Property(e => e.Operation).HasMaxLength(16);
            entity.Property(e => e.FromFlow).HasMaxLength(32);
            entity.Property(e => e.ToFlow).HasMaxLength(32);
            entity.Property(e => e.Steps).HasMaxLength(128);
            entity.Property(e => e.Status).HasMaxLength(16);
            entity.Ignore(e => e.StepList);
            entity.Ignore(e => e.NextStep);
            entity.Ignore(e => e.PreviousStep);
            entity.Ignore(e => e.InForce);
            entity.Ignore(e => e.StepStartedAtUtc);
        });
        modelBuilder.Entity<RampEvent>(entity =>
        {
            entity.ToTable("ramp_events");
            entity.HasKey(e => e.Id);
            entity.Property(e => e.Operation).HasMaxLength(16);
            entity.Property(e => e.Action).HasMaxLength(16);
            entity.Property(e => e.Status).HasMaxLength(16);
            entity.Property(e => e.Summary).HasMaxLength(1024);
            entity.Property(e => e.Actor).HasMaxLength(256);
            entity.Property(e => e.ActorName).HasMaxLength(256);
            entity.Property(e => e.ActorEmail).HasMaxLength(256);
            entity.Property(e => e.Why).HasMaxLength(512);
            entity.Ignore(e => e.AtUtc);
            entity.HasIndex(e => new { e.Operation, e.Id });
        });
        modelBuilder.Entity<RampLease>(entity =>
        {
            entity.ToTable("ramp_leases");
            entity.HasKey(e => e.Name);
            entity.Property(e => e.Name).HasMaxLength(32);
            entity.Property(e => e.Holder).HasMaxLength(256);
            // The row exists from the start, so taking the lease is always one conditional update (never a racing insert).
            entity.HasData(new RampLease { Name = RampLease.EngineName, Holder = "", ExpiresAt = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
        });
    }
}
