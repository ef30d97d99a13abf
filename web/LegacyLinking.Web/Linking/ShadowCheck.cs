using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;

namespace LegacyLinking.Web.Linking;

/// <summary>
/// On a legacy request, decides — without calling the tenant — whether the current flow (<c>AccessToken</c>) would
/// have been allowed for the same user: an access token for <c>…/api/v2/</c> with <c>update:current_user_identities</c>
/// and this user's <c>sub</c>; for a link, a secondary ID token signed RS256 whose <c>aud</c> is that token's
/// <c>azp</c>. Tokens are only decoded here: the tenant validated them when it issued them.
/// </summary>
public sealed class ShadowCheck(Auth0Tenant tenant, TimeProvider clock)
{
    public const string WouldSucceed = "would-succeed";
    public const string WouldFailPrefix = "would-fail:";

    public string Evaluate(PrimaryUser primary, string? secondaryIdToken = null, bool isLink = false)
    {
        if (Decode(primary.AccessToken) is not { } access) return Fail("no-access-token");
        if (!access.Audiences.Contains(tenant.Audience)) return Fail("audience");
        if (access.ValidTo <= clock.GetUtcNow().UtcDateTime) return Fail("expired");
        if (access.Subject != primary.UserId) return Fail("subject");
        var scopes = access.TryGetPayloadValue<string>("scope", out var scope) ? scope.Split(' ') : [];
        if (!scopes.Contains("update:current_user_identities")) return Fail("scope");
        if (!isLink) return WouldSucceed;

        if (Decode(secondaryIdToken) is not { } secondary) return Fail("no-secondary-id-token");
        if (secondary.Alg != "RS256") return Fail("secondary-alg");
        var azp = access.TryGetPayloadValue<string>("azp", out var value) ? value : null;
        return azp is not null && secondary.Audiences.Contains(azp) ? WouldSucceed : Fail("secondary-aud");
    }

    private static string Fail(string reason) => WouldFailPrefix + reason;

    private static JsonWebToken? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            return new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
