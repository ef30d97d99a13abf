using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using static LegacyLinking.LocalTenant.Management.ManagementScopes;

namespace LegacyLinking.LocalTenant.Management.Users;

/// <summary>
/// <c>POST /users</c> and <c>PATCH /users/{id}</c>: root properties are replaced, <c>user_metadata</c> and
/// <c>app_metadata</c> are merged one level deep, and a metadata key set to <c>null</c> is deleted.
/// </summary>
public sealed partial class UserEditor(TenantDbContext db, IPasswordHasher<TenantIdentity> passwordHasher, TimeProvider clock)
{
    private const string UserMetadata = "user_metadata";
    private const string AppMetadata = "app_metadata";
    private const int MaxProfileLength = 300;

    private static readonly string[] ProfileProperties = ["name", "nickname", "picture", "given_name", "family_name"];

    public static readonly IReadOnlyCollection<string> UpdatableProperties =
    [
        "blocked", "email", "email_verified", "phone_number", "phone_verified", .. ProfileProperties,
        UserMetadata, AppMetadata, "password", "connection", "verify_email",
    ];

    public static readonly IReadOnlyCollection<string> CreatableProperties =
    [
        "connection", "user_id", "email", "email_verified", "phone_number", "phone_verified", "password", "blocked",
        .. ProfileProperties, UserMetadata, AppMetadata, "verify_email",
    ];

    /// <summary>
    /// A <c>current_user</c> token (or an ID token) may change only its own <c>user_metadata</c>;
    /// <c>update:users_app_metadata</c> both metadata objects; everything else needs <c>update:users</c>.
    /// </summary>
    public static void CheckScopes(ManagementCaller caller, JsonObject body)
    {
        if (caller.Has(UpdateUsers) && !caller.OwnUserOnly) return;
        var others = body.Select(p => p.Key).Where(k => k != UserMetadata).ToList();
        if (others.Count == 0) return;
        if (!caller.OwnUserOnly && caller.Has(UpdateUsersAppMetadata) && others.All(k => k == AppMetadata)) return;
        throw ManagementErrors.InsufficientScope(others.All(k => k == AppMetadata) ? [UpdateUsers, UpdateUsersAppMetadata] : [UpdateUsers]);
    }

    public async Task UpdateAsync(TenantUser user, JsonObject body, CancellationToken cancellationToken)
    {
        if (ManagementBody.OptionalString(body, "connection") is { } connection && user.Identities.All(i => i.Connection != connection))
            throw ManagementErrors.InvalidBody($"'The user has no identity in the connection {connection}' on property connection.");
        _ = ManagementBody.OptionalBool(body, "verify_email"); // no mail is sent by a local tenant

        var primary = user.Identities.OrderBy(i => i.Position).First();
        var primaryConnection = await db.Connections.AsNoTracking().SingleAsync(c => c.Name == primary.Connection, cancellationToken);

        if (primaryConnection.StoredEmail(Email(body)) is { } email && email != user.Email)
        {
            if (primaryConnection.IsDatabase) await ChangeLoginNameAsync(primary, email, cancellationToken);
            user.Email = email;
            user.EmailVerified = false; // unless the body says otherwise, below
        }
        if (Phone(body) is { } phone && phone != user.PhoneNumber)
        {
            if (primaryConnection.IsPasswordless) await ChangeLoginNameAsync(primary, phone, cancellationToken);
            user.PhoneNumber = phone;
            user.PhoneVerified = false;
        }
        if (ManagementBody.OptionalString(body, "password", LoginInput.MaxPasswordLength) is { } password)
        {
            if (!primaryConnection.IsDatabase)
                throw ManagementErrors.BadRequest("Cannot update password for non-database connections", "operation_not_supported");
            primary.PasswordHash = passwordHasher.HashPassword(primary, NewPassword(password));
            user.LastPasswordReset = clock.GetUtcNow();
        }

        ApplyFlags(user, body);
        ApplyProfile(user, body, clearWithNull: true);
        user.UserMetadata = Merge(user.UserMetadata, ManagementBody.OptionalObject(body, UserMetadata));
        user.AppMetadata = Merge(user.AppMetadata, ManagementBody.OptionalObject(body, AppMetadata));
        user.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<TenantUser> CreateAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var connectionName = ManagementBody.OptionalString(body, "connection")
            ?? throw ManagementErrors.InvalidBody("'Missing required property: connection'.");
        var connection = await db.Connections.AsNoTracking().SingleOrDefaultAsync(c => c.Name == connectionName, cancellationToken)
            ?? throw ManagementErrors.BadRequest("The connection does not exist.", "inexistent_connection");
        if (connection.IsSocial)
            throw ManagementErrors.BadRequest("Connection is not supported for this operation.", "operation_not_supported");

        var id = ManagementBody.OptionalString(body, "user_id", 64) ?? Auth0Ids.NewUserIdPart();
        if (!UserIdPattern().IsMatch(id))
            throw ManagementErrors.InvalidBody($"'String does not match pattern {UserIdPattern()}' on property user_id.");

        var now = clock.GetUtcNow();
        var user = new TenantUser { UserId = $"{connection.Strategy}|{id}", CreatedAt = now, UpdatedAt = now };
        var identity = new TenantIdentity
        {
            Provider = connection.Strategy, ProviderUserId = id, Connection = connection.Name, IsSocial = false,
        };
        if (connection.IsDatabase)
        {
            user.Email = connection.StoredEmail(Email(body)) ?? throw ManagementErrors.InvalidBody("'Missing required property: email'.");
            var password = ManagementBody.OptionalString(body, "password", LoginInput.MaxPasswordLength)
                ?? throw ManagementErrors.InvalidBody("'Missing required property: password'.");
            identity.PasswordHash = passwordHasher.HashPassword(identity, NewPassword(password));
            user.PhoneNumber = Phone(body);
        }
        else
        {
            user.PhoneNumber = Phone(body) ?? throw ManagementErrors.InvalidBody("'Missing required property: phone_number'.");
            if (body.ContainsKey("password"))
                throw ManagementErrors.InvalidBody($"'The {connection.Name} connection does not use passwords' on property password.");
            user.Email = connection.StoredEmail(Email(body));
        }
        identity.LoginName = TenantSeeder.LoginNameFor(connection, user);
        user.Nickname = TenantSeeder.NicknameFor(user.Email, user.PhoneNumber);
        user.Name = user.Email ?? user.PhoneNumber;
        ApplyFlags(user, body);
        ApplyProfile(user, body, clearWithNull: false);
        user.UserMetadata = Merge("{}", ManagementBody.OptionalObject(body, UserMetadata));
        user.AppMetadata = Merge("{}", ManagementBody.OptionalObject(body, AppMetadata));

        // The id may belong to an identity now linked under another user: identities, not users, hold every id in use.
        if (await db.Identities.AnyAsync(i => i.Provider == identity.Provider && i.ProviderUserId == identity.ProviderUserId, cancellationToken)
            || await db.Identities.AnyAsync(i => i.Connection == connection.Name && i.LoginName == identity.LoginName, cancellationToken))
            throw ManagementErrors.Conflict("The user already exists.", "auth0_idp_error");
        user.Identities.Add(identity);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>Shallow merge: keys sent replace (nested objects wholesale), keys omitted survive, a <c>null</c> deletes.</summary>
    public static string Merge(string stored, JsonObject? changes)
    {
        if (changes is null) return stored;
        var merged = JsonNode.Parse(stored) as JsonObject ?? [];
        foreach (var (key, value) in changes)
        {
            if (value is null) merged.Remove(key);
            else merged[key] = value.DeepClone();
        }
        return merged.ToJsonString();
    }

    private async Task ChangeLoginNameAsync(TenantIdentity identity, string loginName, CancellationToken cancellationToken)
    {
        if (await db.Identities.AnyAsync(i => i.Connection == identity.Connection && i.LoginName == loginName && i.Id != identity.Id, cancellationToken))
            throw ManagementErrors.Conflict("The specified new email or phone number already exists.", "auth0_idp_error");
        identity.LoginName = loginName;
    }

    private static void ApplyFlags(TenantUser user, JsonObject body)
    {
        if (ManagementBody.OptionalBool(body, "email_verified") is { } emailVerified) user.EmailVerified = emailVerified;
        if (ManagementBody.OptionalBool(body, "phone_verified") is { } phoneVerified) user.PhoneVerified = phoneVerified;
        if (ManagementBody.OptionalBool(body, "blocked") is { } blocked) user.Blocked = blocked;
    }

    private static void ApplyProfile(TenantUser user, JsonObject body, bool clearWithNull)
    {
        foreach (var property in ProfileProperties)
        {
            if (!body.TryGetPropertyValue(property, out var node)) continue;
            if (node is null && !clearWithNull) continue;
            var value = ManagementBody.OptionalString(body, property, MaxProfileLength);
            switch (property)
            {
                case "name": user.Name = value; break;
                case "nickname": user.Nickname = value; break;
                case "picture": user.Picture = value; break;
                case "given_name": user.GivenName = value; break;
                default: user.FamilyName = value; break;
            }
        }
    }

    private static string? Email(JsonObject body)
    {
        var email = ManagementBody.OptionalString(body, "email", LoginInput.MaxEmailLength);
        if (email is not null && LoginInput.EmailProblem(email) is not null)
            throw ManagementErrors.InvalidBody($"'Object didn't pass validation for format email: {email}' on property email.");
        return email;
    }

    private static string? Phone(JsonObject body)
    {
        var phone = ManagementBody.OptionalString(body, "phone_number", 16);
        if (phone is not null && LoginInput.PhoneProblem(phone) is not null)
            throw ManagementErrors.InvalidBody($"'Object didn't pass validation for format phone_number (E.164): {phone}' on property phone_number.");
        return phone;
    }

    private static string NewPassword(string password) =>
        LoginInput.NewPasswordProblem(password) is null
            ? password
            : throw ManagementErrors.BadRequest("PasswordStrengthError: Password is too weak", ManagementErrors.InvalidBodyCode);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserIdPattern();
}
