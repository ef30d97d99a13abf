namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// A <see cref="LocalTenantFixture"/> with the helpers Management API tests use, and a second application
/// (<see cref="OtherClientId"/>) so tests can mix tokens of two clients (<c>link_with</c> audience checks).
/// </summary>
public class ManagementTenantFixture : LocalTenantFixture
{
    public const string OtherClientId = "other-app";

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("LocalTenant:Clients:1:ClientId", OtherClientId),
        new("LocalTenant:Clients:1:ClientSecret", ClientSecret),
        new("LocalTenant:Clients:1:Name", "Other application"),
        new("LocalTenant:Clients:1:RedirectUris:0", RedirectUri),
        new("LocalTenant:Clients:1:GrantTypes:0", "authorization_code"),
        new("LocalTenant:Clients:1:GrantTypes:1", "client_credentials"),
        new("LocalTenant:Clients:1:ManagementApiScopes:0", "read:users"),
        new("LocalTenant:Clients:1:ManagementApiScopes:1", "update:users"),
    ];

    public TenantApi Api => new(CreateClient(), new Uri(Url));
    public TenantBearers Bearers => new(this);
    public TokenForge Forge => new(this);
}
