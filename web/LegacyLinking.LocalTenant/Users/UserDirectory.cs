using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LegacyLinking.LocalTenant.Users;

/// <summary>Finds and creates the identities the login page signs in with. Every result carries its owning user.</summary>
public sealed class UserDirectory(TenantDbContext db, IPasswordHasher<TenantIdentity> passwordHasher, TimeProvider clock)
{
    /// <summary>The database-connection identity for this email and password, or null (unknown email or wrong password alike).</summary>
    public async Task<TenantIdentity?> VerifyPasswordAsync(string connection, string email, string password)
    {
        var identity = await FindByLoginNameAsync(connection, email.ToLowerInvariant());
        if (identity?.PasswordHash is null) return null;
        var result = passwordHasher.VerifyHashedPassword(identity, identity.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed) return null;
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
            identity.PasswordHash = passwordHasher.HashPassword(identity, password);
        return identity;
    }

    /// <summary>A new database user with an unverified email; null when the email is taken in that connection.</summary>
    public async Task<TenantIdentity?> SignUpAsync(TenantConnection connection, string email, string password)
    {
        email = email.ToLowerInvariant();
        if (await FindByLoginNameAsync(connection.Name, email) is not null) return null;
        var identity = Create(connection, email, user =>
        {
            user.Email = email;
            user.Name = email;
            user.Nickname = TenantSeeder.NicknameFor(email, email);
        });
        identity.PasswordHash = passwordHasher.HashPassword(identity, password);
        await db.SaveChangesAsync();
        return identity;
    }

    /// <summary>The sms identity for a phone number, created (verified, as Auth0 does after a passwordless login) if new.</summary>
    public async Task<TenantIdentity> FindOrCreateSmsAsync(TenantConnection connection, string phone)
    {
        var identity = await FindByLoginNameAsync(connection.Name, phone);
        if (identity is not null) return identity;
        identity = Create(connection, phone, user =>
        {
            user.PhoneNumber = phone;
            user.PhoneVerified = true;
            user.Name = phone;
            user.Nickname = phone;
        });
        await db.SaveChangesAsync();
        return identity;
    }

    /// <summary>An identity of a social connection by its <c>provider|id</c>.</summary>
    public async Task<TenantIdentity?> FindSocialAsync(string connection, string sub)
    {
        if (!Auth0Ids.TrySplit(sub, out var provider, out var id)) return null;
        return await db.Identities.Include(i => i.User)
            .SingleOrDefaultAsync(i => i.Connection == connection && i.IsSocial && i.Provider == provider && i.ProviderUserId == id);
    }

    /// <summary>The profiles a social connection can "continue as": every identity it holds, linked or not.</summary>
    public async Task<IReadOnlyList<SocialProfile>> ListSocialAsync(string connection)
    {
        var identities = await db.Identities.AsNoTracking().Include(i => i.User)
            .Where(i => i.Connection == connection && i.IsSocial)
            .OrderBy(i => i.Provider).ThenBy(i => i.ProviderUserId)
            .ToListAsync();
        return identities.Select(SocialProfile.From).ToList();
    }

    /// <summary>Auth0's login bookkeeping on the primary user.</summary>
    public async Task RecordLoginAsync(TenantIdentity identity)
    {
        var user = identity.User ?? await db.Users.SingleAsync(u => u.UserId == identity.UserId);
        user.LastLogin = clock.GetUtcNow();
        user.LoginsCount++;
        // Stands in for the token the social provider handed Auth0 at this login; opaque, as most providers' are.
        if (identity.IsSocial)
        {
            identity.IdpAccessToken = "idp-" + identity.Provider + "-" + Auth0Ids.NewUserIdPart() + Auth0Ids.NewUserIdPart();
            if (db.Entry(identity).State == EntityState.Detached) db.Identities.Update(identity);
        }
        await db.SaveChangesAsync();
    }

    private Task<TenantIdentity?> FindByLoginNameAsync(string connection, string loginName) =>
        db.Identities.Include(i => i.User).SingleOrDefaultAsync(i => i.Connection == connection && i.LoginName == loginName);

    private TenantIdentity Create(TenantConnection connection, string loginName, Action<TenantUser> profile)
    {
        var now = clock.GetUtcNow();
        var id = Auth0Ids.NewUserIdPart();
        var provider = connection.Strategy;
        var user = new TenantUser { UserId = $"{provider}|{id}", CreatedAt = now, UpdatedAt = now };
        profile(user);
        var identity = new TenantIdentity
        {
            Provider = provider,
            ProviderUserId = id,
            Connection = connection.Name,
            IsSocial = connection.IsSocial,
            LoginName = loginName,
            User = user,
        };
        user.Identities.Add(identity);
        db.Users.Add(user);
        return identity;
    }
}

/// <summary>What a "continue as" button shows.</summary>
public sealed record SocialProfile(string Sub, string DisplayName, string? Email)
{
    public static SocialProfile From(TenantIdentity identity)
    {
        // A linked identity shows the profile it had before linking (Auth0's identities[].profileData).
        if (identity.Position > 0 && JsonNode.Parse(identity.ProfileData ?? "null") is JsonObject data)
            return new SocialProfile(identity.Sub, Text(data, "name") ?? identity.Sub, Text(data, "email"));
        return new SocialProfile(identity.Sub, identity.User?.Name ?? identity.Sub, identity.User?.Email);
    }

    private static string? Text(JsonObject data, string key) =>
        data[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
