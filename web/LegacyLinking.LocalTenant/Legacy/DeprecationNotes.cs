using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Logs;
using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.Legacy;

/// <summary>
/// A deprecated feature this tenant still serves while its flag is on, with the text its <c>depnote</c> carries.
/// Auth0 names the feature only in the event's <c>description</c> (human text); <see cref="Id"/> goes into
/// <c>details.feature</c> as Auth0's published log schema shapes it, a shape clients must not rely on.
/// </summary>
public sealed record DeprecatedFeature(string Id, string Name, string Description, string Documentation)
{
    /// <summary>An ID token as the bearer of a Management API call (<c>enable_idtoken_api2</c>).</summary>
    public static readonly DeprecatedFeature IdTokenBearer = new("management_api_id_token",
        "Management API v2 with ID Tokens",
        "Using an ID token to call the Management API v2 is deprecated. Use an access token for the audience /api/v2/ instead.",
        "https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/migrate-to-calling-api-with-access-tokens");

    /// <summary><c>POST /unlink</c> or <c>/login/unlink</c> (<c>allow_legacy_unlink_endpoint</c>).</summary>
    public static readonly DeprecatedFeature LegacyUnlinkEndpoint = new("legacy_unlink_endpoint",
        "Authentication API /unlink",
        "The /unlink endpoint is being deprecated. Use DELETE /api/v2/users/{id}/identities/{provider}/{user_id} instead.",
        "https://auth0.com/docs/manage-users/user-accounts/user-account-linking/unlink-user-accounts");

    /// <summary><c>/authorize?access_token=</c> linking (<c>allow_authorize_access_token_linking</c>); Auth0's own wording.</summary>
    public static readonly DeprecatedFeature AuthorizeAccessTokenLinking = new("authorize_access_token_linking",
        "Account linking via /authorize",
        "Account linking via /authorize is being deprecated. Please refer to https://auth0.com/docs/link-accounts for supported ways to link an account.",
        "https://auth0.com/docs/link-accounts");
}

/// <summary>
/// Auth0 writes "only one log of the same type and description every 60 minutes … the first time the error occurs
/// within that hour": whichever client uses a feature first in a clock hour (UTC) gets the depnote, later uses in the
/// same hour by any client get none. Kept in memory: a tenant restart, or <c>POST /test/reset</c>, opens every window.
/// </summary>
public sealed class DeprecationNoticeWindows(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, long> _lastHour = new(StringComparer.Ordinal);

    /// <summary>True for the first use of <paramref name="description"/> in the current hour (and records it).</summary>
    public bool TryOpen(string description)
    {
        var hour = clock.GetUtcNow().ToUnixTimeSeconds() / 3600;
        var opened = false;
        _lastHour.AddOrUpdate(description,
            _ => { opened = true; return hour; },
            (_, last) => { opened = last != hour; return hour; });
        return opened;
    }

    public void Clear() => _lastHour.Clear();
}

/// <summary>
/// Writes Auth0's <c>depnote</c> log event for a use of a deprecated feature: <c>description</c> names the feature,
/// with the client and user of the call and <c>details</c> as in Auth0's log schema (<c>feature</c>, <c>method</c>,
/// <c>path</c>), at most once per hour per feature.
/// </summary>
public sealed class DeprecationNotes(TenantLog log, DeprecationNoticeWindows windows, IHttpContextAccessor requests)
{
    public async Task WriteAsync(DeprecatedFeature feature, string? clientId, string? userId, CancellationToken cancellationToken = default)
    {
        if (!windows.TryOpen(feature.Description)) return;
        var request = requests.HttpContext?.Request;
        var details = new JsonObject
        {
            ["feature"] = new JsonObject
            {
                ["id"] = feature.Id,
                ["name"] = feature.Name,
                ["description"] = feature.Description,
                ["documentation"] = feature.Documentation,
            },
        };
        if (request is not null)
        {
            details["method"] = request.Method;
            details["path"] = request.Path.Value;
        }
        await log.WriteAsync(new TenantLogEntry(LogTypes.DeprecationNotice, feature.Description)
        {
            ClientId = clientId,
            UserId = userId,
            Details = details,
        }, cancellationToken);
    }
}
