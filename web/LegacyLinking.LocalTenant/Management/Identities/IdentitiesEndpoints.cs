using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LegacyLinking.LocalTenant.Linking;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static LegacyLinking.LocalTenant.Management.ManagementScopes;

namespace LegacyLinking.LocalTenant.Management.Identities;

/// <summary>
/// <c>POST /users/{id}/identities</c> (link) and <c>DELETE /users/{id}/identities/{provider}/{user_id}</c> (unlink),
/// with the rules Auth0 has enforced since 2018: a <c>current_user</c> token links only with <c>link_with</c>.
/// </summary>
public static partial class IdentitiesEndpoints
{
    private static readonly string[] LinkProperties = ["link_with", "provider", "user_id", "connection_id"];

    public static RouteGroupBuilder MapIdentities(this RouteGroupBuilder api)
    {
        api.MapPost("/users/{id}/identities", LinkAsync)
            .Operation("Link a user account", [UpdateUsers], ownUser: [UpdateCurrentUserIdentities], idToken: true);
        api.MapDelete("/users/{id}/identities/{provider}/{user_id}", UnlinkAsync)
            .Operation("Unlink a user account", [UpdateUsers], ownUser: [UpdateCurrentUserIdentities], idToken: true);
        return api;
    }

    private static async Task<IResult> LinkAsync(HttpContext http, string id, AccountLinker linker, TenantTokenReader tokens)
    {
        var caller = ManagementCaller.Of(http);
        var body = await ManagementBody.ReadObjectAsync(http.Request, LinkProperties);
        var (secondary, connectionId) = body.ContainsKey("link_with")
            ? (await SecondaryFromIdTokenAsync(body, caller, tokens), null)
            : SecondaryFromIdentity(body, caller);

        var primary = await Map(() => linker.LinkAsync(id, secondary, connectionId, http.RequestAborted));
        return ManagementResults.Ok(Auth0UserJson.LinkResponse(primary), StatusCodes.Status201Created);
    }

    private static async Task<IResult> UnlinkAsync(HttpContext http, string id, string provider, string user_id, AccountLinker linker)
    {
        // Auth0 takes the part after "provider|", and tolerates the full "provider|id" too.
        var providerUserId = user_id.StartsWith(provider + "|", StringComparison.Ordinal) ? user_id[(provider.Length + 1)..] : user_id;
        var primary = await Map(() => linker.UnlinkAsync(id, provider, providerUserId, http.RequestAborted));
        return ManagementResults.Ok(Auth0UserJson.LinkResponse(primary));
    }

    /// <summary>
    /// <c>{link_with}</c>: an RS256 ID token of this tenant whose <c>aud</c> is the application the bearer was issued
    /// to (the access token's <c>azp</c>); the secondary is its <c>sub</c>.
    /// </summary>
    private static async Task<string> SecondaryFromIdTokenAsync(JsonObject body, ManagementCaller caller, TenantTokenReader tokens)
    {
        if (body.ContainsKey("provider") || body.ContainsKey("user_id") || body.ContainsKey("connection_id"))
            throw ManagementErrors.InvalidBody("'link_with cannot be sent with provider, user_id or connection_id'.");
        var linkWith = ManagementBody.OptionalString(body, "link_with", 16 * 1024)
            ?? throw ManagementBody.WrongType("link_with", "string", null);

        var result = await tokens.ReadAsync(linkWith);
        if (result.Token is not { } token)
            throw ManagementErrors.InvalidBody($"'link_with is not a valid ID token of this tenant: {ManagementBearerFilter.MessageFor(result.Problem)}'.");
        if (token.Kind != TenantTokenKind.IdToken)
            throw ManagementErrors.InvalidBody("'link_with must be an ID token, not an access token'.");
        if (token.ClientId != caller.ClientId)
        {
            throw ManagementErrors.InvalidBody(
                $"'The audience of the link_with ID token ({token.ClientId}) does not match the azp of the bearer token ({caller.ClientId})'.");
        }
        return token.Subject;
    }

    /// <summary>
    /// <c>{provider, user_id[, connection_id]}</c>: only with <c>update:users</c>. Auth0 removed it for
    /// <c>current_user</c> tokens in 2018 (anyone could link any identity into their own account).
    /// </summary>
    private static (string Secondary, string? ConnectionId) SecondaryFromIdentity(JsonObject body, ManagementCaller caller)
    {
        if (!body.ContainsKey("provider") && !body.ContainsKey("user_id"))
            throw ManagementErrors.InvalidBody("'Missing required property: link_with, or provider and user_id'.");
        if (caller.OwnUserOnly || !caller.Has(UpdateUsers)) throw ManagementErrors.InsufficientScope([UpdateUsers]);

        var provider = ManagementBody.OptionalString(body, "provider", 64)
            ?? throw ManagementErrors.InvalidBody("'Missing required property: provider'.");
        var userId = body["user_id"] switch
        {
            null => throw ManagementErrors.InvalidBody("'Missing required property: user_id'."),
            // Some providers' ids are numbers in JSON (GitHub); Auth0 accepts either.
            JsonValue number when number.GetValueKind() == JsonValueKind.Number && number.TryGetValue<long>(out var n) =>
                n.ToString(CultureInfo.InvariantCulture),
            _ => ManagementBody.OptionalString(body, "user_id", 256)!,
        };
        var connectionId = ManagementBody.OptionalString(body, "connection_id", 64);
        if (connectionId is not null && !ConnectionIdPattern().IsMatch(connectionId))
            throw ManagementErrors.InvalidBody($"'String does not match pattern {ConnectionIdPattern()}' on property connection_id.");

        // The recorded go-auth0 call sent the full "auth0|…" and Auth0 accepted it.
        var bare = userId.StartsWith(provider + "|", StringComparison.Ordinal) ? userId[(provider.Length + 1)..] : userId;
        return ($"{provider}|{bare}", connectionId);
    }

    /// <summary>The Management API's answers to the linking rules.</summary>
    private static async Task<T> Map<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (LinkingException e)
        {
            throw e.Problem switch
            {
                LinkingProblem.PrimaryNotFound => ManagementErrors.InexistentUser(),
                LinkingProblem.SecondaryNotFound => ManagementErrors.InexistentUser("The user to link does not exist."),
                LinkingProblem.SameUser =>
                    ManagementErrors.BadRequest("Main identity and the new one are the same.", ManagementErrors.InvalidBodyCode),
                LinkingProblem.AlreadyLinkedToThisUser =>
                    ManagementErrors.Conflict("The identity is already linked to this user.", IdentityAlreadyLinked),
                LinkingProblem.AlreadyLinkedToAnotherUser =>
                    ManagementErrors.Conflict("The identity is already linked to another user.", IdentityAlreadyLinked),
                LinkingProblem.IdentityNotLinked => ManagementErrors.InvalidUri("The user has no linked identity with this provider and user_id."),
                LinkingProblem.MainIdentity => ManagementErrors.InvalidUri("The main identity of a user cannot be unlinked."),
                _ => throw new InvalidOperationException($"Unmapped linking problem {e.Problem}.", e),
            };
        }
    }

    /// <summary>409's errorCode (Auth0 documents a 409 for linking but no code; this one is local).</summary>
    public const string IdentityAlreadyLinked = "identity_already_linked";

    [GeneratedRegex("^con_[A-Za-z0-9]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionIdPattern();
}
