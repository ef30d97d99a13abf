using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LegacyLinking.LocalTenant.RateLimiting;

/// <summary>
/// One token bucket's numbers, as Auth0 describes its limits: a burst size (the bucket) and a sustained refill rate.
/// <see cref="Enabled"/> off still describes the bucket, because the headers report it on every reply.
/// </summary>
public sealed record RateLimitPolicy(bool Enabled, string? Profile, int BurstSize, double TokensPerSecond)
{
    public const string FreeProfile = "free";
    public const int MaxBurstSize = 100_000;

    /// <summary>Auth0's current Free tier: 2 requests burst, 2 per second sustained, for the whole Management API.</summary>
    public static RateLimitPolicy Free { get; } = new(false, FreeProfile, 2, 2);

    /// <summary>The named profiles; explicit numbers override a profile's.</summary>
    public static IReadOnlyDictionary<string, RateLimitPolicy> Profiles { get; } =
        new Dictionary<string, RateLimitPolicy>(StringComparer.OrdinalIgnoreCase) { [FreeProfile] = Free };

    /// <summary>
    /// Reads <c>Enabled</c>, <c>Profile</c>, <c>BurstSize</c>, <c>TokensPerSecond</c> of <paramref name="section"/>;
    /// without a profile or numbers the bucket is the free profile's.
    /// </summary>
    public static RateLimitPolicy From(IConfigurationSection section)
    {
        var enabled = section.GetValue<bool>("Enabled");
        var error = TryCreate(enabled, section["Profile"], Number(section, "BurstSize"), Number(section, "TokensPerSecond"), out var policy);
        return policy ?? throw new InvalidOperationException($"{section.Path}: {error}");
    }

    /// <summary>Builds a policy from a profile name and/or explicit numbers; returns the reason when they are not usable.</summary>
    public static string? TryCreate(bool enabled, string? profile, double? burstSize, double? tokensPerSecond, out RateLimitPolicy? policy)
    {
        policy = null;
        var basis = Free;
        if (!string.IsNullOrWhiteSpace(profile) && !Profiles.TryGetValue(profile.Trim(), out basis!))
            return $"unknown rate-limit profile '{profile}'; known: {string.Join(", ", Profiles.Keys)}.";

        var burst = burstSize ?? basis.BurstSize;
        var rate = tokensPerSecond ?? basis.TokensPerSecond;
        if (burst < 1 || burst > MaxBurstSize || burst != Math.Floor(burst))
            return $"BurstSize must be a whole number from 1 to {MaxBurstSize}.";
        if (!(rate > 0) || rate > MaxBurstSize) return $"TokensPerSecond must be above 0 and at most {MaxBurstSize}.";

        var custom = burstSize is not null || tokensPerSecond is not null;
        var name = custom ? null : string.IsNullOrWhiteSpace(profile) ? basis.Profile : profile.Trim().ToLowerInvariant();
        policy = new RateLimitPolicy(enabled, name, (int)burst, rate);
        return null;
    }

    /// <summary>How long the bucket takes to gain one token.</summary>
    public TimeSpan TokenInterval => TimeSpan.FromSeconds(1 / TokensPerSecond);

    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Profile ?? "custom"}: {BurstSize} burst, {TokensPerSecond:0.###}/s");

    private static double? Number(IConfigurationSection section, string key) =>
        section[key] is { Length: > 0 } raw
            ? double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidOperationException($"{section.Path}:{key} must be a number; got '{raw}'.")
            : null;
}
