using System.Security.Cryptography;

namespace LegacyLinking.LocalTenant.Data;

/// <summary>Identifier shapes Auth0 uses, so ids minted here look like a real tenant's.</summary>
public static class Auth0Ids
{
    /// <summary>A new identity id such as <c>5f7c8ec7c33c6c004bbafe82</c> (24 lower-case hex, as Auth0's database and sms users).</summary>
    public static string NewUserIdPart() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>Splits <c>provider|id</c>; false when either part is missing.</summary>
    public static bool TrySplit(string? sub, out string provider, out string id)
    {
        provider = id = "";
        var bar = sub?.IndexOf('|') ?? -1;
        if (sub is null || bar <= 0 || bar == sub.Length - 1) return false;
        provider = sub[..bar];
        id = sub[(bar + 1)..];
        return true;
    }
}
