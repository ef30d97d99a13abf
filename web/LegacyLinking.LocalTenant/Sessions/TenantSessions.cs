using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Oidc;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace LegacyLinking.LocalTenant.Sessions;

/// <summary>
/// The tenant's SSO session: a cookie (<c>ll_tenant_session</c>) backed by a <see cref="TenantSession"/> row, so
/// <c>/v2/logout</c> ends it for good even if the cookie were replayed.
/// </summary>
public sealed class TenantSessions(TenantDbContext db, TimeProvider clock)
{
    public const string Scheme = "LocalTenant.Session";
    public const string CookieName = "ll_tenant_session";

    private const string UserIdClaim = "ll_user";
    private const string ConnectionClaim = "ll_connection";

    /// <summary>Starts a session for <paramref name="identity"/> (its owner is the primary user).</summary>
    public async Task<CurrentSession> SignInAsync(HttpContext http, TenantIdentity identity)
    {
        var now = clock.GetUtcNow();
        var authTime = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var session = new TenantSession
        {
            Id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24)),
            UserId = identity.UserId,
            IdentitySub = identity.Sub,
            Connection = identity.Connection,
            AuthTime = authTime,
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync();

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(TenantClaims.SessionId, session.Id),
            new Claim(UserIdClaim, session.UserId),
            new Claim(TenantClaims.IdentityUsed, session.IdentitySub),
            new Claim(ConnectionClaim, session.Connection),
            new Claim(TenantClaims.AuthTime, authTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        ], Scheme));
        await http.SignInAsync(Scheme, principal);
        return CurrentSession.From(session);
    }

    /// <summary>The signed-in session, or null when there is none or it was ended.</summary>
    public async Task<CurrentSession?> GetCurrentAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(Scheme);
        var sid = result.Principal?.FindFirst(TenantClaims.SessionId)?.Value;
        if (sid is null) return null;
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sid && s.EndedAt == null);
        return session is null ? null : CurrentSession.From(session);
    }

    public async Task EndAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(Scheme);
        if (result.Principal?.FindFirst(TenantClaims.SessionId)?.Value is { } sid)
        {
            await db.Sessions.Where(s => s.Id == sid && s.EndedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, clock.GetUtcNow()));
        }
        await http.SignOutAsync(Scheme);
    }
}

public sealed record CurrentSession(string Id, string UserId, string IdentitySub, string Connection, DateTimeOffset AuthTime)
{
    public static CurrentSession From(TenantSession s) => new(s.Id, s.UserId, s.IdentitySub, s.Connection, s.AuthTime);
}
