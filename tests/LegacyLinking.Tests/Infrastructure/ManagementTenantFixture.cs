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

    public const string NewUserPassword = "Fresh-Passw0rd!";

    private Task<string>? _serverToken;

    public TenantApi Api => new(CreateClient(), new Uri(Url));
    public TenantBearers Bearers => new(this);
    public TokenForge Forge => new(this);

    /// <summary>
    /// A server token with every Management API scope the tenant seeds: the tests' admin client's (the app's own
    /// client holds only what the app uses), minted once per fixture (it is valid for 24 h and survives
    /// <see cref="LocalTenantFixture.RestartAsync"/>: the keys persist).
    /// </summary>
    public Task<string> ServerTokenAsync() => _serverToken ??= Bearers.AdminTokenAsync();

    /// <summary>Switches a tenant flag through <c>PATCH /api/v2/tenants/settings</c>.</summary>
    public async Task SetFlagAsync(string flag, bool enabled) =>
        (await Api.PatchAsync("tenants/settings", await ServerTokenAsync(),
            new Dictionary<string, object> { ["flags"] = new Dictionary<string, bool> { [flag] = enabled } })).IsSuccess();

    /// <summary>The tenant's log events of one type, newest first (<c>GET /api/v2/logs?q=type:…</c>).</summary>
    public async Task<IReadOnlyList<System.Text.Json.JsonElement>> LogsAsync(string type) =>
        (await Api.GetAsync($"logs?q=type:{type}&per_page=100", await Bearers.ClientCredentialsAsync("read:logs")))
            .IsSuccess().Json.EnumerateArray().ToList();

    /// <summary>A new database user (see <see cref="CreateDatabaseUserAsync"/>), signed in: its id, email and tokens.</summary>
    public async Task<SignedInUser> NewSignedInUserAsync(IReadOnlyDictionary<string, object?>? extra = null)
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var id = await CreateDatabaseUserAsync(email, extra);
        return new SignedInUser(id, email, await Bearers.SignInWithPasswordAsync(email, NewUserPassword));
    }

    /// <summary>
    /// A new database user (password <see cref="NewUserPassword"/>, verified email unless <paramref name="extra"/> says
    /// otherwise) created through <c>POST /api/v2/users</c>, so a test can change it without touching the seed.
    /// </summary>
    public async Task<string> CreateDatabaseUserAsync(string? email = null, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["connection"] = TenantLoginDriver.DatabaseConnection,
            ["email"] = email ?? $"user-{Guid.NewGuid():N}@example.com",
            ["password"] = NewUserPassword,
            ["email_verified"] = true,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, object?>()) body[key] = value;
        var reply = await Api.PostAsync("users", await ServerTokenAsync(), body);
        reply.IsSuccess(System.Net.HttpStatusCode.Created);
        return reply.Json.GetProperty("user_id").GetString()!;
    }
}

/// <summary>A database user created for one test; <see cref="Bare"/> is its identity's user_id (the part after <c>auth0|</c>).</summary>
public sealed record SignedInUser(string Id, string Email, UserTokens Tokens)
{
    public string Bare => Id[(Id.IndexOf('|') + 1)..];
}

/// <summary>A <see cref="ManagementTenantFixture"/> with test controls on (reset, faults, the call log).</summary>
public class ManagementControlsFixture : ManagementTenantFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [.. base.ExtraSettings, new("LocalTenant:TestControls", "true")];

    public TestControlsClient Controls => new(CreateClient());
}
