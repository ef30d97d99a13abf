using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Logs;

namespace LegacyLinking.LocalTenant.Legacy;

/// <summary>A deprecated feature this tenant still serves while its flag is on.</summary>
public sealed record DeprecatedFeature(string Name, string Description)
{
    /// <summary>An ID token as the bearer of a Management API call (<c>enable_idtoken_api2</c>).</summary>
    public static readonly DeprecatedFeature IdTokenBearer = new("enable_idtoken_api2",
        "Using an ID token to call the Management API v2 is deprecated. Use an access token for the audience /api/v2/ instead.");

    /// <summary><c>POST /unlink</c> or <c>/login/unlink</c> (<c>allow_legacy_unlink_endpoint</c>).</summary>
    public static readonly DeprecatedFeature LegacyUnlinkEndpoint = new("legacy_unlink_endpoint",
        "The /unlink endpoint is being deprecated. Use DELETE /api/v2/users/{id}/identities/{provider}/{user_id} instead.");

    /// <summary><c>/authorize?access_token=</c> linking (<c>allow_authorize_access_token_linking</c>); Auth0's own wording.</summary>
    public static readonly DeprecatedFeature AuthorizeAccessTokenLinking = new("authorize_access_token_linking",
        "Account linking via /authorize is being deprecated. Please refer to https://auth0.com/docs/link-accounts for supported ways to link an account.");
}

/// <summary>Writes Auth0's <c>depnote</c> log event for each use of a deprecated feature, naming the feature, client and user.</summary>
public sealed class DeprecationNotes(TenantLog log)
{
    public Task WriteAsync(DeprecatedFeature feature, string? clientId, string? userId, CancellationToken cancellationToken = default) =>
        log.WriteAsync(new TenantLogEntry(LogTypes.DeprecationNotice, feature.Description)
        {
            ClientId = clientId,
            UserId = userId,
            Details = new JsonObject { ["feature"] = feature.Name },
        }, cancellationToken);
}
