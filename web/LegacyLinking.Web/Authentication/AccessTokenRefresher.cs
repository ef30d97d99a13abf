using System.Globalization;
using System.Text.Json;
using LegacyLinking.Web.Auth0;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LegacyLinking.Web.Authentication;

/// <summary>How long before the session's access token expires it is refreshed (<c>Sessions:AccessTokenRefreshSeconds</c>).</summary>
public sealed record AccessTokenRefreshWindow(TimeSpan Before)
{
    public const int DefaultSeconds = 300;
}

/// <summary>
/// After a refresh failed for a passing reason (tenant down, 5xx, 429), no session tries again for a while
/// (<c>Sessions:AccessTokenRefreshRetrySeconds</c>): in an outage every request of every session near expiry would
/// otherwise wait out the HTTP timeouts, and add to the tenant's load as it comes back. One pause for the instance,
/// because an outage is the tenant's, not one session's.
/// </summary>
public sealed class AccessTokenRefreshPause(TimeSpan length)
{
    public const int DefaultSeconds = 30;

    private long _untilTicks;

    public bool IsPaused(DateTimeOffset now) => now.UtcTicks < Interlocked.Read(ref _untilTicks);

    public void Begin(DateTimeOffset now) => Interlocked.Exchange(ref _untilTicks, (now + length).UtcTicks);
}

/// <summary>
/// Keeps the session's access token usable for as long as the session lives: the cookie slides for 8 h while the
/// tenant's access token lives a fixed time (24 h on Auth0 by default, less if the API says so), so an active session
/// would otherwise carry an expired token and every link or unlink through it would get a 401. Near expiry the
/// ticket's refresh token buys a new one from the tenant, without a login.
/// </summary>
public sealed class AccessTokenRefresher(
    AuthenticationApiClient authentication,
    Auth0Tenant tenant,
    TimeProvider clock,
    AccessTokenRefreshWindow window,
    AccessTokenRefreshPause pause,
    ILogger<AccessTokenRefresher> logger)
{
    private const string AccessToken = "access_token";
    private const string IdToken = "id_token";
    private const string RefreshToken = "refresh_token";
    private const string ExpiresAt = "expires_at";

    /// <summary>The cookie scheme's <c>OnValidatePrincipal</c>, after the session was found still valid.</summary>
    public async Task RefreshIfDueAsync(CookieValidatePrincipalContext context)
    {
        var properties = context.Properties;
        // Without a refresh token there is nothing to redeem: the token simply expires, as before.
        if (properties.GetTokenValue(RefreshToken) is not { Length: > 0 } refreshToken) return;
        if (!DateTimeOffset.TryParse(properties.GetTokenValue(ExpiresAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiresAt)) return;
        var now = clock.GetUtcNow();
        if (expiresAt - now > window.Before || pause.IsPaused(now)) return;

        AccessTokenResponse fresh;
        try
        {
            fresh = await authentication.GetTokenAsync(tenant.Refresh(refreshToken), context.HttpContext.RequestAborted);
        }
        catch (ErrorApiException refused) when (IsRefusal(refused))
        {
            // Revoked refresh token, blocked user, …: the tenant will not vouch for this session any more.
            logger.LogWarning("The tenant refused to refresh the session's access token ({Status} {Error}); the session ends.",
                (int)refused.StatusCode, refused.ApiError.Error);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
            return;
        }
        catch (Exception failure) when (failure is ApiException or JsonException)
        {
            // Unreachable, 5xx, 429, garbled: the current token still works until it expires; requests try again after the pause.
            pause.Begin(clock.GetUtcNow());
            logger.LogWarning("Could not refresh the session's access token ({Failure}); keeping the session, retrying after a pause.",
                Describe(failure));
            return;
        }
        if (string.IsNullOrEmpty(fresh.AccessToken))
        {
            logger.LogWarning("The tenant answered a refresh without an access token; keeping the session, retrying on a later request.");
            return;
        }

        properties.UpdateTokenValue(AccessToken, fresh.AccessToken);
        properties.UpdateTokenValue(ExpiresAt, (now + TimeSpan.FromSeconds(fresh.ExpiresIn)).ToString("o", CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(fresh.IdToken)) properties.UpdateTokenValue(IdToken, fresh.IdToken);
        // Only a tenant with rotation turned on sends one; the old one is then spent.
        if (!string.IsNullOrEmpty(fresh.RefreshToken)) properties.UpdateTokenValue(RefreshToken, fresh.RefreshToken);
        context.ShouldRenew = true;
    }

    /// <summary>
    /// The tenant's answer about this grant, not a passing failure. Auth0 refuses a grant with 403 (<c>invalid_grant</c>:
    /// an unknown or revoked refresh token, a blocked or deleted user; <c>unauthorized_client</c>) and the client with
    /// 401 <c>access_denied</c> (a rotated secret); RFC 6749 servers use 400 <c>invalid_grant</c> / 401
    /// <c>invalid_client</c>. Anything else (another 400, 404, 408, 429 — its own exception —, 5xx) may pass.
    /// </summary>
    private static bool IsRefusal(ErrorApiException error) => (int)error.StatusCode switch
    {
        401 or 403 => true,
        400 => error.ApiError.Error is "invalid_grant" or "invalid_client" or "unauthorized_client",
        _ => false,
    };

    // Status and error code only: exception messages are the tenant's text, and nothing of the request is logged.
    private static string Describe(Exception failure) => failure switch
    {
        ErrorApiException error => $"HTTP {(int)error.StatusCode} {error.ApiError.Error}",
        RateLimitApiException => "HTTP 429",
        TenantUnavailableException => "tenant unreachable or too slow",
        _ => "unreadable answer",
    };
}
