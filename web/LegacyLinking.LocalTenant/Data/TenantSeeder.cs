using LegacyLinking.LocalTenant.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace LegacyLinking.LocalTenant.Data;

/// <summary>
/// Applies <c>localtenant.json</c>: connections and clients on every start (so a test can override a redirect URI),
/// users only into a freshly created database (so sign-ups and later edits survive restarts).
/// </summary>
public sealed class TenantSeeder(
    IConfiguration configuration,
    TenantUrls urls,
    IOpenIddictApplicationManager applications,
    IPasswordHasher<TenantIdentity> passwordHasher,
    TimeProvider clock)
{
    public async Task SeedAsync(TenantDbContext db, bool seedUsers)
    {
        var settings = TenantSettings.From(configuration);
        await UpsertConnectionsAsync(db, settings.Connections);
        foreach (var client in settings.Clients) await UpsertClientAsync(db, client);
        if (seedUsers) await SeedUsersAsync(db);
    }

    private static async Task UpsertConnectionsAsync(TenantDbContext db, IEnumerable<ConnectionSettings> connections)
    {
        foreach (var configured in connections)
        {
            var row = await db.Connections.SingleOrDefaultAsync(c => c.Name == configured.Name);
            if (row is null) db.Connections.Add(row = new TenantConnection { Id = configured.Id, Name = configured.Name });
            row.Strategy = configured.Strategy;
        }
        await db.SaveChangesAsync();
    }

    private async Task UpsertClientAsync(TenantDbContext db, ClientSettings client)
    {
        if (string.IsNullOrWhiteSpace(client.ClientId))
            throw new InvalidOperationException("Every LocalTenant:Clients entry needs a ClientId.");

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            DisplayName = client.Name ?? client.ClientId,
            ClientType = string.IsNullOrEmpty(client.ClientSecret) ? ClientTypes.Public : ClientTypes.Confidential,
            ApplicationType = ApplicationTypes.Web,
            // First-party clients: Auth0 shows no consent screen for them.
            ConsentType = ConsentTypes.Implicit,
        };
        foreach (var uri in client.RedirectUris) descriptor.RedirectUris.Add(AbsoluteUri(client, "RedirectUris", uri));
        foreach (var uri in client.AllowedLogoutUrls) descriptor.PostLogoutRedirectUris.Add(AbsoluteUri(client, "AllowedLogoutUrls", uri));

        descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.Endpoints.EndSession]);
        foreach (var grant in client.GrantTypes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.GrantType + grant);
            if (grant == GrantTypes.AuthorizationCode)
                descriptor.Permissions.UnionWith([Permissions.Endpoints.Authorization, Permissions.ResponseTypes.Code]);
            // Auth0's "Implicit" grant type: tokens straight from /authorize (Lock 10/11 and auth0.js 8/9 SPAs).
            if (grant == GrantTypes.Implicit)
                descriptor.Permissions.UnionWith([Permissions.Endpoints.Authorization, Permissions.ResponseTypes.IdToken,
                    Permissions.ResponseTypes.IdTokenToken, Permissions.ResponseTypes.Token]);
        }
        // Hybrid (code id_token, code token, code id_token token) takes both grant types, as at Auth0.
        if (client.GrantTypes.Contains(GrantTypes.AuthorizationCode) && client.GrantTypes.Contains(GrantTypes.Implicit))
            descriptor.Permissions.UnionWith([Permissions.ResponseTypes.CodeIdToken, Permissions.ResponseTypes.CodeIdTokenToken,
                Permissions.ResponseTypes.CodeToken]);

        var existing = await applications.FindByClientIdAsync(client.ClientId);
        if (existing is null) await applications.CreateAsync(descriptor);
        else await applications.UpdateAsync(existing, descriptor);

        await db.ClientGrants.Where(g => g.ClientId == client.ClientId).ExecuteDeleteAsync();
        if (client.ManagementApiScopes.Count > 0)
        {
            db.ClientGrants.Add(new ClientGrant
            {
                ClientId = client.ClientId,
                Audience = urls.ManagementAudience,
                Scope = string.Join(' ', client.ManagementApiScopes),
            });
            await db.SaveChangesAsync();
        }
    }

    private static Uri AbsoluteUri(ClientSettings client, string key, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException(
                $"LocalTenant:Clients ({client.ClientId}) {key} must hold absolute URLs; got '{value}'.");

    private async Task SeedUsersAsync(TenantDbContext db)
    {
        var connections = await db.Connections.AsNoTracking().ToListAsync();
        var now = clock.GetUtcNow();
        foreach (var section in configuration.GetSection($"{TenantSettings.SectionName}:Seed:Users").GetChildren())
        {
            var seed = section.Get<SeedUserSettings>() ?? new SeedUserSettings();
            if (!Auth0Ids.TrySplit(seed.UserId, out var provider, out var id))
                throw new InvalidOperationException($"Seed user '{seed.UserId}' needs a UserId of the form provider|id.");
            var connectionName = seed.Connection ?? connections.FirstOrDefault(c => c.Strategy == provider)?.Name
                ?? throw new InvalidOperationException($"No connection with strategy '{provider}' for seed user '{seed.UserId}'.");
            var connection = connections.Single(c => c.Name == connectionName);

            var user = new TenantUser
            {
                UserId = seed.UserId,
                Email = connection.StoredEmail(seed.Email),
                EmailVerified = seed.EmailVerified,
                Name = seed.Name ?? seed.Email ?? seed.PhoneNumber,
                Nickname = seed.Nickname ?? NicknameFor(seed.Email, seed.Name),
                Picture = seed.Picture,
                GivenName = seed.GivenName,
                FamilyName = seed.FamilyName,
                PhoneNumber = seed.PhoneNumber,
                PhoneVerified = seed.PhoneVerified,
                UserMetadata = ConfigurationJson.ToObject(section.GetSection("UserMetadata")).ToJsonString(),
                AppMetadata = ConfigurationJson.ToObject(section.GetSection("AppMetadata")).ToJsonString(),
                CreatedAt = now,
                UpdatedAt = now,
            };
            var identity = new TenantIdentity
            {
                Provider = provider,
                ProviderUserId = id,
                Connection = connection.Name,
                IsSocial = connection.IsSocial,
                LoginName = LoginNameFor(connection, user),
            };
            if (connection.IsDatabase && seed.Password is not null)
                identity.PasswordHash = passwordHasher.HashPassword(identity, seed.Password);
            user.Identities.Add(identity);
            db.Users.Add(user);
        }
        await db.SaveChangesAsync();
    }

    /// <summary>Auth0 derives the nickname from the email's local part.</summary>
    public static string? NicknameFor(string? email, string? name)
    {
        var at = email?.IndexOf('@') ?? -1;
        return at > 0 ? email![..at] : name;
    }

    public static string? LoginNameFor(TenantConnection connection, TenantUser user) =>
        connection.IsDatabase ? user.Email : connection.IsPasswordless ? user.PhoneNumber : null;
}
