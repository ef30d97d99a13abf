using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>
/// What an endpoint of the Management API accepts, as endpoint metadata read by <see cref="ManagementBearerFilter"/>:
/// the scopes that let a token act on any user, the <c>current_user</c> scopes that let it act on its own user
/// (route value <c>id</c> = the token's <c>sub</c>), and whether an ID token may stand in for the bearer while
/// <c>enable_idtoken_api2</c> is on (then, too, only on its own user).
/// </summary>
public sealed record ManagementOperation(
    string Description, IReadOnlyList<string> Scopes, IReadOnlyList<string> OwnUserScopes, bool AcceptsIdToken)
{
    /// <summary>Every scope that gets past the scope check, in the order Auth0 lists them in its 403 message.</summary>
    public IEnumerable<string> AnyScope => Scopes.Concat(OwnUserScopes);
}

/// <summary>Management API scope names.</summary>
public static class ManagementScopes
{
    public const string ReadUsers = "read:users";
    public const string UpdateUsers = "update:users";
    public const string CreateUsers = "create:users";
    public const string DeleteUsers = "delete:users";
    public const string UpdateUsersAppMetadata = "update:users_app_metadata";
    public const string ReadLogs = "read:logs";
    public const string ReadUserIdpTokens = "read:user_idp_tokens";
    public const string ReadLogsUsers = "read:logs_users";
    public const string ReadTenantSettings = "read:tenant_settings";
    public const string UpdateTenantSettings = "update:tenant_settings";
    public const string ReadCurrentUser = "read:current_user";
    public const string UpdateCurrentUserIdentities = "update:current_user_identities";
    public const string UpdateCurrentUserMetadata = "update:current_user_metadata";
    public const string CreateCurrentUserMetadata = "create:current_user_metadata";

    /// <summary>What an ID token may do while <c>enable_idtoken_api2</c> is on: what its user could do with a current_user token.</summary>
    public static readonly IReadOnlySet<string> IdTokenEquivalent =
        new HashSet<string>([ReadCurrentUser, UpdateCurrentUserIdentities, UpdateCurrentUserMetadata]);
}

public static class ManagementOperationExtensions
{
    /// <summary>Declares the operation's description (used for its log events) and who may call it.</summary>
    public static RouteHandlerBuilder Operation(
        this RouteHandlerBuilder builder, string description, string[] scopes, string[]? ownUser = null, bool idToken = false) =>
        builder.WithMetadata(new ManagementOperation(description, scopes, ownUser ?? [], idToken));
}
