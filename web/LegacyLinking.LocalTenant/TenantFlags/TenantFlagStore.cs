using LegacyLinking.LocalTenant.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.LocalTenant.TenantFlags;

/// <summary>
/// The tenant's <c>flags</c> (Auth0's <c>GET/PATCH /api/v2/tenants/settings</c>): the configured default
/// (<c>LocalTenant:Flags</c>) unless <c>PATCH</c> stored an override in the tenant database.
/// </summary>
public sealed class TenantFlagStore(TenantDbContext db, TenantFlagDefaults defaults)
{
    public async Task<bool> IsEnabledAsync(string flag, CancellationToken cancellationToken = default)
    {
        var stored = await db.FlagOverrides.AsNoTracking().SingleOrDefaultAsync(f => f.Name == flag, cancellationToken);
        return stored?.Enabled ?? defaults.For(flag);
    }

    /// <summary>Every flag with its effective value, in <see cref="TenantFlagNames.All"/> order.</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, bool>>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        var stored = await db.FlagOverrides.AsNoTracking().ToDictionaryAsync(f => f.Name, f => f.Enabled, cancellationToken);
        return TenantFlagNames.All
            .Select(name => new KeyValuePair<string, bool>(name, stored.TryGetValue(name, out var value) ? value : defaults.For(name)))
            .ToList();
    }

    /// <summary>Applies changes to known flags; <c>null</c> removes the override, so the flag is back to its configured default.</summary>
    public async Task SetAsync(IReadOnlyDictionary<string, bool?> changes, CancellationToken cancellationToken = default)
    {
        foreach (var (name, value) in changes)
        {
            if (!TenantFlagNames.All.Contains(name)) throw new ArgumentException($"Unknown tenant flag '{name}'.", nameof(changes));
            var row = await db.FlagOverrides.SingleOrDefaultAsync(f => f.Name == name, cancellationToken);
            if (value is null)
            {
                if (row is not null) db.FlagOverrides.Remove(row);
            }
            else if (row is null) db.FlagOverrides.Add(new TenantFlagOverride { Name = name, Enabled = value.Value });
            else row.Enabled = value.Value;
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>The flags this tenant knows (Auth0's name where Auth0 has one).</summary>
public static class TenantFlagNames
{
    /// <summary>Auth0's "Allow ID Tokens for Management API v2 Authentication".</summary>
    public const string EnableIdTokenApi2 = "enable_idtoken_api2";

    /// <summary>Local name: Auth0's Authentication API <c>POST /unlink</c> (and <c>/login/unlink</c>).</summary>
    public const string AllowLegacyUnlinkEndpoint = "allow_legacy_unlink_endpoint";

    /// <summary>Local name: Lock-era linking through <c>/authorize?access_token=</c>.</summary>
    public const string AllowAuthorizeAccessTokenLinking = "allow_authorize_access_token_linking";

    public static readonly IReadOnlyList<string> All = [EnableIdTokenApi2, AllowLegacyUnlinkEndpoint, AllowAuthorizeAccessTokenLinking];
}

/// <summary>The <c>LocalTenant:Flags</c> section; a flag it does not name is off, as on a new Auth0 tenant.</summary>
public sealed class TenantFlagDefaults(IReadOnlyDictionary<string, bool> configured)
{
    public bool For(string flag) => configured.TryGetValue(flag, out var value) && value;

    /// <summary>Fails start-up on a misspelt flag name rather than silently leaving the intended flag off.</summary>
    public static TenantFlagDefaults From(IReadOnlyDictionary<string, bool> configured)
    {
        var unknown = configured.Keys.Where(k => !TenantFlagNames.All.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"LocalTenant:Flags names unknown flags ({string.Join(", ", unknown)}); known: {string.Join(", ", TenantFlagNames.All)}.");
        }
        return new TenantFlagDefaults(configured);
    }
}
