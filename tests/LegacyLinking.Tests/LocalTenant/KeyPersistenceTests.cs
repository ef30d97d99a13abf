using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant;

/// <summary>Keys, users and tokens live in the SQLite file: a restart on the same file changes nothing for clients.</summary>
public sealed class KeyPersistenceTests(LocalTenantFixture tenant) : IClassFixture<LocalTenantFixture>
{
    [Fact]
    public async Task Signing_key_and_refresh_tokens_survive_a_restart()
    {
        var session = new TenantSession(tenant);
        var kidBefore = KidOf(await session.GetJsonAsync("/.well-known/jwks.json"));
        var request = session.Request(r => r with { Scope = "openid profile offline_access" });
        var tokens = await session.ContinueAsAndRedeemAsync(request, Seeded.John);

        await tenant.RestartAsync();

        var after = new TenantSession(tenant);
        Assert.Equal(kidBefore, KidOf(await after.GetJsonAsync("/.well-known/jwks.json")));
        Assert.Equal(kidBefore, Jwt.Parse(tokens.IdToken!).Header.GetProperty("kid").GetString());
        var (status, _) = await after.Tokens.UserInfoAsync(tokens.AccessToken!);
        Assert.Equal(HttpStatusCode.OK, status);
        var refreshed = await after.Tokens.RefreshAsync(tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
    }

    private static string? KidOf(System.Text.Json.JsonElement jwks) =>
        jwks.GetProperty("keys").EnumerateArray().Single().GetProperty("kid").GetString();
}
