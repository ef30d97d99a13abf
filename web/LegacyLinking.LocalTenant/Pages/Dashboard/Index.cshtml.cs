using System.Globalization;
using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Logs;
using LegacyLinking.LocalTenant.Outbox;
using LegacyLinking.LocalTenant.RateLimiting;
using LegacyLinking.LocalTenant.TenantFlags;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.LocalTenant.Pages.Dashboard;

/// <summary>
/// The developer dashboard at <c>/dashboard</c>: users with their identities, the tenant flags, rate limiting, the
/// recent log and the sent emails. No login (a local tool, loopback only, see LocalToolsGuard); every POST carries the antiforgery token.
/// Flags are read and written through <see cref="TenantFlagStore"/>, as <c>GET/PATCH /api/v2/tenants/settings</c> does.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class IndexModel(TenantDbContext db, TenantFlagStore flags, TenantRateLimits limits, TenantLog log, TenantOutbox outbox)
    : PageModel
{
    public const int RecentLogCount = 50;
    public const int RecentEmailCount = 20;
    public const string CustomProfile = "custom";

    public IReadOnlyList<TenantUser> Users { get; private set; } = [];
    public IReadOnlyList<KeyValuePair<string, bool>> Flags { get; private set; } = [];
    public IReadOnlyList<TenantLogEvent> Logs { get; private set; } = [];
    public IReadOnlyList<OutboxEmail> Emails { get; private set; } = [];
    public RateLimitPolicy ManagementLimit => limits.Management.Policy;
    public RateLimitPolicy TokenEndpointLimit => limits.TokenEndpoint.Policy;

    /// <summary>What was just saved (after the post-redirect-get), or an input error.</summary>
    [BindProperty(SupportsGet = true)] public string? Saved { get; set; }
    public string? Error { get; private set; }

    /// <summary>The checked flag boxes (unchecked boxes are not posted).</summary>
    [BindProperty] public List<string> EnabledFlags { get; set; } = [];

    [BindProperty] public bool RateLimitEnabled { get; set; }
    [BindProperty] public string? RateLimitProfile { get; set; }
    [BindProperty] public double? BurstSize { get; set; }
    [BindProperty] public double? TokensPerSecond { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostFlagsAsync()
    {
        var changes = TenantFlagNames.All.ToDictionary(name => name, name => (bool?)EnabledFlags.Contains(name));
        await flags.SetAsync(changes, HttpContext.RequestAborted);
        var details = new JsonObject();
        foreach (var (name, value) in changes) details[name] = value;
        await log.WriteAsync(new TenantLogEntry(LogTypes.SuccessApiOperation, "Update tenant settings (dashboard)")
        {
            Details = new JsonObject { ["flags"] = details },
        }, HttpContext.RequestAborted);
        return RedirectToPage(new { saved = "flags" });
    }

    public async Task<IActionResult> OnPostRateLimitAsync()
    {
        var custom = RateLimitProfile == CustomProfile;
        var error = RateLimitPolicy.TryCreate(RateLimitEnabled, custom ? null : RateLimitProfile,
            custom ? BurstSize : null, custom ? TokensPerSecond : null, out var policy);
        if (policy is null)
        {
            Error = error;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync();
            return Page();
        }
        limits.Management.Apply(policy);
        return RedirectToPage(new { saved = "rate-limit" });
    }

    public static string Describe(RateLimitPolicy policy) =>
        (policy.Enabled ? "on" : "off") + " — " + policy.Describe();

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        Users = await db.Users.AsNoTracking().Include(u => u.Identities).OrderBy(u => u.CreatedAt).ThenBy(u => u.UserId).ToListAsync(ct);
        Flags = await flags.GetAllAsync(ct);
        Logs = await db.Logs.AsNoTracking().OrderByDescending(l => l.Id).Take(RecentLogCount).ToListAsync(ct);
        Emails = await outbox.NewestAsync(RecentEmailCount, ct);
    }
}
