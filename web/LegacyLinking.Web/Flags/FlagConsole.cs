using LegacyLinking.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.FeatureManagement;

namespace LegacyLinking.Web.Flags;

/// <summary>One flag as the QA console shows it.</summary>
public sealed record FlagRow(
    string Flag,
    string Definition,
    IReadOnlyList<string> Choices,
    FlagDecision Effective,
    string? GlobalOverride,
    string? SessionOverride);

/// <summary>The QA console's logic: read every flag with its definition and this user's value; set and reset overrides, audited.</summary>
public sealed class FlagConsole(
    ConfigurationFeatureDefinitionProvider configured,
    GlobalFlagOverrides global,
    SessionFlagOverrides session,
    FlagEvaluator evaluator,
    IDbContextFactory<AppDbContext> databases,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<FlagRow>> ReadAsync(CancellationToken cancellationToken)
    {
        var overrides = await global.GetAllAsync(cancellationToken);
        var rows = new List<FlagRow>();
        foreach (var flag in FlagNames.All)
        {
            var definition = await configured.GetFeatureDefinitionAsync(flag);
            rows.Add(new FlagRow(
                flag,
                Describe(definition),
                ChoicesOf(flag, definition),
                await evaluator.EvaluateAsync(flag, cancellationToken),
                overrides.TryGetValue(flag, out var o) ? o.Value : null,
                session.Get(flag)));
        }
        return rows;
    }

    /// <summary>The newest audit rows, or null while the database does not answer (the console still shows the flags).</summary>
    public async Task<IReadOnlyList<FlagAuditEntry>?> AuditAsync(int count, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            return await db.FlagAudit.AsNoTracking().OrderByDescending(a => a.Id).Take(count).ToListAsync(cancellationToken);
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            return null;
        }
    }

    /// <summary>Since when the global overrides in force could not be refreshed from the database (null while they can).</summary>
    public (DateTimeOffset ReadAt, DateTimeOffset FailingSince)? StaleOverrides =>
        global.Freshness is { FailingSince: { } since } freshness ? (freshness.ReadAt, since) : null;

    /// <summary>Validates the flag and value against the known names; null <paramref name="value"/> resets.</summary>
    public async Task<string> SetAsync(string? flag, string? value, bool globally, string actor, CancellationToken cancellationToken)
    {
        if (flag is null || !FlagNames.All.Contains(flag))
            throw new ArgumentException("Unknown flag.");
        var choices = ChoicesOf(flag, await configured.GetFeatureDefinitionAsync(flag));
        if (value is not null && !choices.Contains(value))
            throw new ArgumentException($"That is not a value of {flag}; choose one of {string.Join(", ", choices)}."); // never the posted text: it would travel back in the status cookie

        if (globally)
        {
            await global.SetAsync(flag, value, actor, cancellationToken);
            return value is null ? $"{flag}: global override removed." : $"{flag} is now {value} for everyone.";
        }
        var old = session.Get(flag);
        // Audited first: a change the database cannot record is not made (the console answers 503).
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        db.FlagAudit.Add(new FlagAuditEntry { Flag = flag, Scope = "session", OldValue = old, NewValue = value, Actor = actor, At = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        session.Set(flag, value);
        return value is null ? $"{flag}: your session override removed." : $"{flag} is now {value} for your session only.";
    }

    /// <summary>Resets both the caller's session override and the global one.</summary>
    public async Task<string> ResetAsync(string? flag, string actor, CancellationToken cancellationToken)
    {
        await SetAsync(flag, null, globally: false, actor, cancellationToken);
        await SetAsync(flag, null, globally: true, actor, cancellationToken);
        return $"{flag} is back to its configured allocation.";
    }

    /// <summary>
    /// A variant flag's variants as configured (the start check holds them to the flow catalogue), on/off for the others.
    /// </summary>
    private static IReadOnlyList<string> ChoicesOf(string flag, FeatureDefinition? definition) =>
        FlagNames.IsVariantFlag(flag) ? definition?.Variants?.Select(v => v.Name).ToList() ?? [] : [OnOff.On, OnOff.Off];

    private static string Describe(FeatureDefinition? definition)
    {
        if (definition is null) return "not configured (off)";
        var parts = new List<string> { definition.Status == FeatureStatus.Disabled ? "enabled: false" : "enabled: true" };
        if (definition.Allocation is { } allocation)
        {
            parts.AddRange(allocation.User?.Select(u => $"users {string.Join(", ", u.Users)} → {u.Variant}") ?? []);
            parts.AddRange(allocation.Group?.Select(g => $"groups {string.Join(", ", g.Groups)} → {g.Variant}") ?? []);
            parts.AddRange(allocation.Percentile?.Select(p => $"{p.From}–{p.To} % → {p.Variant}") ?? []);
            if (allocation.DefaultWhenEnabled is { } on) parts.Add($"default when enabled → {on}");
            if (allocation.DefaultWhenDisabled is { } off) parts.Add($"default when disabled → {off}");
            if (allocation.Seed is { } seed) parts.Add($"seed {seed}");
        }
        return string.Join("; ", parts);
    }
}
