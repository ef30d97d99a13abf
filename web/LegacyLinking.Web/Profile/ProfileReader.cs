using System.Security.Claims;
using LegacyLinking.Web.Auth0;
using Microsoft.AspNetCore.Authentication;

namespace LegacyLinking.Web.Profile;

/// <summary>
/// Builds the signed-in user's profile from <c>/userinfo</c> (fresh, server-side with the saved access token) and
/// the validated ID token's claims.
/// </summary>
public sealed class ProfileReader(AuthenticationApiClient authentication)
{
    public async Task<UserProfile> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var user = context.User;
        var sub = user.FindFirstValue("sub") ?? throw new InvalidOperationException("The session has no 'sub' claim.");
        var accessToken = await context.GetTokenAsync("access_token");
        var info = accessToken is null ? null : await authentication.GetUserInfoAsync(accessToken, cancellationToken);
        if (info is not null && info.UserId != sub)
            throw new InvalidOperationException("The /userinfo subject does not match the session's subject.");

        var (provider, id) = SplitUserId(sub);
        var primary = new ProfileIdentity(provider, id, Connection: null, IsPrimary: true, ProfileData: []);
        return new UserProfile(
            sub,
            info?.FullName ?? user.FindFirstValue("name"),
            info?.NickName ?? user.FindFirstValue("nickname"),
            info?.Picture ?? user.FindFirstValue("picture"),
            info?.Email ?? user.FindFirstValue("email"),
            info?.EmailVerified ?? (user.FindFirstValue("email_verified") is { } verified ? verified == "true" : null),
            [primary],
            UserMetadataJson: null,
            AppMetadataJson: null);
    }

    /// <summary>Auth0 user ids are <c>{provider}|{id}</c>; the id itself may contain further '|'.</summary>
    public static (string Provider, string Id) SplitUserId(string userId)
    {
        var bar = userId.IndexOf('|');
        return bar <= 0 ? (userId, userId) : (userId[..bar], userId[(bar + 1)..]);
    }
}
