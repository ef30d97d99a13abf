using System.Security.Cryptography;
using LegacyLinking.LocalTenant.Data;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.LocalTenant.Users;

/// <summary>One-time codes for the sms connection: 6 digits, 5 minutes, 3 wrong tries, single use.</summary>
public sealed class PasswordlessCodes(TenantDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    public const int MaxFailedAttempts = 3;

    public async Task<string> IssueAsync(string phone)
    {
        // A new code replaces any earlier one for the phone.
        await db.PasswordlessCodes.Where(c => c.Phone == phone && !c.Used)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.Used, true));
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        db.PasswordlessCodes.Add(new PasswordlessCode { Phone = phone, Code = code, ExpiresAt = clock.GetUtcNow() + Lifetime });
        await db.SaveChangesAsync();
        return code;
    }

    /// <summary>True once for the current code of <paramref name="phone"/>; wrong, expired or used codes are false.</summary>
    public async Task<bool> RedeemAsync(string phone, string code)
    {
        var now = clock.GetUtcNow();
        var current = await db.PasswordlessCodes
            .Where(c => c.Phone == phone && !c.Used && c.ExpiresAt > now)
            .OrderByDescending(c => c.Id)
            .FirstOrDefaultAsync();
        if (current is null) return false;

        var matches = CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(current.Code), System.Text.Encoding.ASCII.GetBytes(code));
        if (matches) current.Used = true;
        else if (++current.FailedAttempts >= MaxFailedAttempts) current.Used = true;
        await db.SaveChangesAsync();
        return matches;
    }
}
