using LegacyLinking.LocalTenant.Data;
using LegacyLinking.LocalTenant.Linking;
using LegacyLinking.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.LocalTenant;

/// <summary>
/// The store's linking shape (what the Management API will do): an identity moved under another user signs in as that
/// primary user, as Auth0 does; logins are counted on the primary.
/// </summary>
public sealed class LinkedIdentityTests(LocalTenantFixture tenant) : IClassFixture<LocalTenantFixture>
{
    private readonly TenantSession _session = new(tenant);

    [Fact]
    public async Task A_linked_secondary_signs_in_with_the_primary_users_sub_and_profile()
    {
        await LinkAsync(primary: Seeded.John, secondary: Seeded.JohnSms);

        var request = _session.Request();
        var step = await _session.Driver.LoginWithSmsAsync(request.ToUri(), Seeded.JohnSmsPhone);
        var idToken = Jwt.Parse((await _session.RedeemAsync(request, step)).IdToken!);

        Assert.Equal(Seeded.John, idToken.Claim("sub"));
        Assert.Equal("John Doe", idToken.Claim("name"));

        await using var scope = tenant.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantDbContext>();
        var primary = await db.Users.AsNoTracking().SingleAsync(u => u.UserId == Seeded.John, TestContext.Current.CancellationToken);
        Assert.Equal(1, primary.LoginsCount);
        Assert.NotNull(primary.LastLogin);
    }

    [Fact]
    public async Task The_stored_rows_give_Auth0s_user_object_with_the_primary_identity_first()
    {
        await LinkAsync(primary: Seeded.AdaDatabase, secondary: Seeded.AdaGithub);

        await using var scope = tenant.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantDbContext>();
        var ada = await db.Users.Include(u => u.Identities).SingleAsync(u => u.UserId == Seeded.AdaDatabase, TestContext.Current.CancellationToken);
        var json = Auth0UserJson.User(ada);

        Assert.Equal(Seeded.AdaDatabase, (string?)json["user_id"]);
        Assert.True((bool?)json["email_verified"]);
        // Never signed in: no logins_count at all, as in Auth0's recorded answers (go-auth0 TestUserManager_Read).
        Assert.Null(json["logins_count"]);
        var identities = json["identities"]!.AsArray();
        Assert.Equal(["auth0", "github"], identities.Select(i => (string?)i!["provider"]));
        Assert.Equal("5f7c8ec7c33c6c004bbafe82", (string?)identities[0]!["user_id"]);
        Assert.Equal("Username-Password-Authentication", (string?)identities[0]!["connection"]);
        Assert.False((bool?)identities[0]!["isSocial"]);
        Assert.Null(identities[0]!["profileData"]);
        // GitHub identity ids are JSON numbers in Auth0's answers.
        Assert.Equal(1234567, (long?)identities[1]!["user_id"]);
        Assert.True((bool?)identities[1]!["isSocial"]);
        Assert.Equal("Ada Lovelace", (string?)identities[1]!["profileData"]!["name"]);
        // Ada has no metadata: the keys are left out, as for a user Auth0 created without any.
        Assert.Null(json["user_metadata"]);
    }

    /// <summary>Moves <paramref name="secondary"/>'s identity under <paramref name="primary"/>, keeping its root profile in profileData.</summary>
    private async Task LinkAsync(string primary, string secondary)
    {
        await using var scope = tenant.Host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountLinker>()
            .LinkAsync(primary, secondary, cancellationToken: TestContext.Current.CancellationToken);
    }
}
