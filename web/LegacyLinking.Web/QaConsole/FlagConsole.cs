using LegacyLinking.Web.Data;
using LegacyLinking.Web.Flags;
using LegacyLinking.Web.Linking;
using LegacyLinking.Web.MigrationTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.FeatureManagement;

namespace LegacyLinking.Web.QaConsole;

/// <summary>One flag as the QA console shows it.</summary>
/// <param name="Cautions">What QA must know about a flow the flag sends anyone to (configured, overridden or in force for this user).</param>
public sealed record FlagRow(
    string Flag,
    FlagDefinitionView Definition,
    IReadOnlyList<string> Choices,
    FlagDecision Effective,
    string? GlobalOverride,
    string? SessionOverride,
    IReadOnlyList<string> Cautions);

/// <summary>A flag's configured definition, laid out for reading: whether it is on, and who gets what.</summary>
/// <param name="Rules">The allocation in the order the library applies it; empty for a flag without one.</param>
public sealed record FlagDefinitionView(bool Configured, bool Enabled, IReadOnlyList<AllocationRule> Rules, string? Seed);

/// <param name="Kind">Users, Groups, Percentile, Default when enabled, Default when disabled.</param>
/// <param name="Who">Whom the rule gives <paramref name="Gets"/>, in words.</param>
public sealed record AllocationRule(string Kind, string Who, string Gets);

/// <summary>A change for everyone waiting for QA to confirm it.</summary>
/// <param name="Value">Null to clear the override.</param>
/// <param name="Current">The override for everyone now (null: none, the configured allocation decides).</param>
/// <param name="RecentUsers">Users who made a link or unlink request in the last <see cref="FlagConsole.RecentDays"/> days; null while the database does not answer.</param>
public sealed record GlobalChange(string Flag, string? Value, string? Current, int? RecentUsers, DateTime Since, IReadOnlyList<string> Cautions);

/// <summary>One page of the change log, newest first.</summary>
public sealed record AuditPage(IReadOnlyList<FlagAuditEntry> Rows, int Page, int Pages, int Total);

/// <summary>The QA console's logic: read every flag with its definition and this user's value; set and clear overrides, audited.</summary>
public sealed class FlagConsole(
    ConfigurationFeatureDefinitionProvider configured,
    GlobalFlagOverrides global,
    SessionFlagOverrides session,
    FlagEvaluator evaluator,
    IDbContextFactory<AppDbContext> databases,
    TimeProvider clock)
{
    /// <summary>The change log's rows per page.</summary>
    public const int AuditPageSize = 20;

    /// <summary>How far back the users a change for everyone affects are counted.</summary>
    public const int RecentDays = 14;

    public async Task<IReadOnlyList<FlagRow>> ReadAsync(CancellationToken cancellationToken)
    {
        var overrides = await global.GetAllAsync(cancellationToken);
        var rows = new List<FlagRow>();
        foreach (var flag in FlagNames.All)
        {
            var definition = await configured.GetFeatureDefinitionAsync(flag);
            var effective = await evaluator.EvaluateAsync(flag, cancellationToken);
            var globalValue = overrides.TryGetValue(flag, out var o) ? o.Value : null;
            var sessionValue = session.Get(flag);
            rows.Add(new FlagRow(
                flag,
                Describe(definition),
                ChoicesOf(flag, definition),
                effective,
                globalValue,
                sessionValue,
                CautionsOf(flag, [effective.Value, globalValue, sessionValue, .. Allocated(definition)])));
        }
        return rows;
    }

    /// <summary>
    /// A page of the change log (changes only: rows that changed nothing, written before they were skipped, are left
    /// out), or null while the database does not answer (the console still shows the flags). A page past the last
    /// gives the last.
    /// </summary>
    public async Task<AuditPage?> AuditAsync(int page, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var changes = db.FlagAudit.AsNoTracking().Where(a => a.OldValue != a.NewValue);
            var total = await changes.CountAsync(cancellationToken);
            var pages = Math.Max(1, (total + AuditPageSize - 1) / AuditPageSize);
            page = Math.Clamp(page, 1, pages);
            var rows = await changes.OrderByDescending(a => a.Id).Skip((page - 1) * AuditPageSize).Take(AuditPageSize).ToListAsync(cancellationToken);
            return new AuditPage(rows, page, pages, total);
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            return null;
        }
    }

    /// <summary>Since when the global overrides in force could not be refreshed from the database (null while they can).</summary>
    public (DateTimeOffset ReadAt, DateTimeOffset FailingSince)? StaleOverrides =>
        global.Freshness is { FailingSince: { } since } freshness ? (freshness.ReadAt, since) : null;

    /// <summary>
    /// What setting (or, <paramref name="value"/> null, clearing) the override for everyone would do, for QA to confirm;
    /// null when it would change nothing. The users are counted from the migration record's user-month rows.
    /// </summary>
    public async Task<GlobalChange?> PrepareGlobalAsync(string? flag, string? value, CancellationToken cancellationToken)
    {
        var valid = await ValidateAsync(flag, value);
        var current = (await global.GetAllAsync(cancellationToken)).TryGetValue(valid, out var o) ? o.Value : null;
        if (current == value) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var since = DateTime.SpecifyKind(now.Date.AddDays(1 - RecentDays), DateTimeKind.Utc);
        int? users;
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            users = await KnownUsers.CountRequestersAsync(db, since, now, cancellationToken);
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            users = null;
        }
        return new GlobalChange(valid, value, current, users, since, value is null ? [] : CautionsOf(valid, [value]));
    }

    /// <summary>Sets the override for everyone (<paramref name="value"/> null clears it), audited in the same transaction.</summary>
    public async Task<string> SetGlobalAsync(string? flag, string? value, FlagActor actor, CancellationToken cancellationToken)
    {
        var valid = await ValidateAsync(flag, value);
        if (!await global.SetAsync(valid, value, actor, cancellationToken))
            return value is null ? $"{valid} had no override for everyone: nothing changed." : $"{valid} already was {value} for everyone: nothing changed.";
        return value is null ? $"{valid} is back to its configured allocation for everyone." : $"{valid} is now {value} for everyone." + Caution(valid, value);
    }

    /// <summary>Sets this session's override (<paramref name="value"/> null clears it); the audit row is written first.</summary>
    public async Task<string> SetSessionAsync(string? flag, string? value, FlagActor actor, CancellationToken cancellationToken)
    {
        var valid = await ValidateAsync(flag, value);
        var old = session.Get(valid);
        if (old == value)
            return value is null ? $"{valid} had no choice for your session: nothing changed." : $"{valid} already was {value} for your session: nothing changed.";
        // Audited first: a change the database cannot record is not made (the console answers 503).
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        db.FlagAudit.Add(new FlagAuditEntry
        {
            Flag = valid, Scope = "session", OldValue = old, NewValue = value, Actor = actor.Id, ActorName = actor.Name, ActorEmail = actor.Email,
            At = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        session.Set(valid, value);
        return value is null
            ? $"{valid}: your session's choice is cleared; you get what everyone gets."
            : $"{valid} is now {value} for your session only." + Caution(valid, value);
    }

    /// <summary>Validates the flag and value against the known names (null <paramref name="value"/> clears) and returns the flag.</summary>
    private async Task<string> ValidateAsync(string? flag, string? value)
    {
        if (flag is null || !FlagNames.All.Contains(flag))
            throw new ArgumentException("Unknown flag.");
        var choices = ChoicesOf(flag, await configured.GetFeatureDefinitionAsync(flag));
        if (value is not null && !choices.Contains(value))
            throw new ArgumentException($"That is not a value of {flag}; choose one of {string.Join(", ", choices)}."); // never the posted text: it would travel back in the status cookie
        return flag;
    }

    /// <summary>The cautions of the flows among <paramref name="values"/> of a flow flag (<see cref="FlowCatalogue"/>), each once.</summary>
    private static IReadOnlyList<string> CautionsOf(string flag, IEnumerable<string?> values) =>
        FlagNames.IsVariantFlag(flag) ? values.OfType<string>().Distinct().SelectMany(FlowCatalogue.CautionsOf).Distinct().ToList() : [];

    /// <summary>Said when the flow chosen has cautions (the page shows them in full on the flag's row).</summary>
    private static string Caution(string flag, string value) =>
        CautionsOf(flag, [value]).Count > 0 ? $" Caution: read what {value} means for users and their accounts, under {flag} below." : "";

    /// <summary>The variants the configured allocation gives anyone.</summary>
    private static IEnumerable<string?> Allocated(FeatureDefinition? definition) =>
        definition?.Allocation is not { } allocation
            ? []
            : (allocation.User?.Select(u => u.Variant) ?? []).Concat(allocation.Group?.Select(g => g.Variant) ?? [])
                .Concat(allocation.Percentile?.Select(p => p.Variant) ?? [])
                .Append(allocation.DefaultWhenEnabled).Append(allocation.DefaultWhenDisabled);

    /// <summary>
    /// A variant flag's variants as configured (the start check holds them to the flow catalogue), on/off for the others.
    /// </summary>
    private static IReadOnlyList<string> ChoicesOf(string flag, FeatureDefinition? definition) =>
        FlagNames.IsVariantFlag(flag) ? definition?.Variants?.Select(v => v.Name).ToList() ?? [] : [OnOff.On, OnOff.Off];

    private static FlagDefinitionView Describe(FeatureDefinition? definition)
    {
        if (definition is null) return new FlagDefinitionView(false, false, [], null);
        var rules = new List<AllocationRule>();
        if (definition.Allocation is { } allocation)
        {
            rules.AddRange(allocation.User?.Select(u => new AllocationRule("Users", string.Join(", ", u.Users), u.Variant)) ?? []);
            rules.AddRange(allocation.Group?.Select(g => new AllocationRule("Groups", "Members of " + string.Join(", ", g.Groups), g.Variant)) ?? []);
            rules.AddRange(allocation.Percentile?.Select(p => new AllocationRule("Percentile", $"{p.From:0.##} % to {p.To:0.##} % of users", p.Variant)) ?? []);
            if (allocation.DefaultWhenEnabled is { } on) rules.Add(new AllocationRule("Default when enabled", "Anyone else, while the flag is on", on));
            if (allocation.DefaultWhenDisabled is { } off) rules.Add(new AllocationRule("Default when disabled", "Everyone, while the flag is off", off));
        }
        return new FlagDefinitionView(true, definition.Status != FeatureStatus.Disabled, rules, definition.Allocation?.Seed);
    }
}
