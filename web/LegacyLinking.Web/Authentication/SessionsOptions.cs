using System.ComponentModel.DataAnnotations;

namespace LegacyLinking.Web.Authentication;

/// <summary>Where sign-in tickets, session state and "sessions valid after" times live.</summary>
public enum SessionStore
{
    /// <summary>This instance's memory: one instance, gone at restart.</summary>
    Memory,

    /// <summary>The app's database: they survive a restart; instances on one PostgreSQL database share them.</summary>
    Database,
}

/// <summary>The <c>Sessions</c> section.</summary>
public sealed class SessionsOptions
{
    public const string Section = "Sessions";

    public SessionStore Store { get; set; } = SessionStore.Memory;

    /// <summary>How long before the session's access token expires it is refreshed.</summary>
    [Range(0, 86_400)]
    public int AccessTokenRefreshSeconds { get; set; } = AccessTokenRefreshWindow.DefaultSeconds;

    /// <summary>After a refresh failed for a passing reason, how long no session tries again.</summary>
    [Range(0, 3_600)]
    public int AccessTokenRefreshRetrySeconds { get; set; } = AccessTokenRefreshPause.DefaultSeconds;

    /// <summary>How often, at most, a session asks the tenant whether its user's password was reset.</summary>
    [Range(1, 3_600)]
    public int PasswordResetCheckSeconds { get; set; } = 60;
}
