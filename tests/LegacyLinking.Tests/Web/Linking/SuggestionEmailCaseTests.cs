using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Web.Auth0;
using LegacyLinking.Web.Linking;
using Microsoft.Extensions.DependencyInjection;

namespace LegacyLinking.Tests.Web.Linking;

/// <summary>The app against a tenant whose GitHub user's provider sent a mixed-case email, and a database user with it lower-cased.</summary>
public sealed class MixedCaseEmailStack : AppStackFixture
{
    public const string GitHub = "github|7654321";
    public const string GitHubEmail = "Grace.Hopper@Example.COM";
    public const string Database = "auth0|7c8ec7c33c6c004bbafe8499";
    public const string UnverifiedSms = "sms|7c8ec7c33c6c004bbafe8400";

    protected override IEnumerable<KeyValuePair<string, string?>> TenantSettings =>
    [
        new("LocalTenant:Seed:Users:6:UserId", GitHub),
        new("LocalTenant:Seed:Users:6:Email", GitHubEmail),
        new("LocalTenant:Seed:Users:6:EmailVerified", "true"),
        new("LocalTenant:Seed:Users:7:UserId", Database),
        new("LocalTenant:Seed:Users:7:Email", GitHubEmail), // stored lower-cased: Auth0 is this user's provider
        new("LocalTenant:Seed:Users:7:EmailVerified", "true"),
        new("LocalTenant:Seed:Users:7:Password", "Grace-Passw0rd!"),
        new("LocalTenant:Seed:Users:8:UserId", UnverifiedSms),
        new("LocalTenant:Seed:Users:8:Email", GitHubEmail),
        new("LocalTenant:Seed:Users:8:PhoneNumber", "+14155550123"),
    ];
}

/// <summary>
/// Suggestions when <c>users-by-email</c> matches case-sensitively: the primary's email as it is and lower-cased, merged;
/// still only verified accounts with the same address.
/// </summary>
public sealed class SuggestionEmailCaseTests(MixedCaseEmailStack stack) : IClassFixture<MixedCaseEmailStack>
{
    [Fact]
    public async Task A_mixed_case_primary_is_offered_the_lower_cased_database_account_once_and_no_unverified_one()
    {
        await using var scope = stack.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<ManagementApiClient>().Users;
        var primary = await users.GetAsync(MixedCaseEmailStack.GitHub, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(MixedCaseEmailStack.GitHubEmail, primary.Email);

        var suggestions = await scope.ServiceProvider.GetRequiredService<SuggestionFinder>().FindAsync(primary, TestContext.Current.CancellationToken);
        Assert.Equal([MixedCaseEmailStack.Database], suggestions.Select(s => s.UserId));
    }

    [Fact]
    public async Task A_lower_case_primary_is_offered_nothing_it_cannot_find_by_its_own_spelling()
    {
        await using var scope = stack.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<ManagementApiClient>().Users;
        var primary = await users.GetAsync(MixedCaseEmailStack.Database, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(MixedCaseEmailStack.GitHubEmail.ToLowerInvariant(), primary.Email);

        // The GitHub account's provider spelled it differently: users-by-email does not find it (documented limitation).
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<SuggestionFinder>().FindAsync(primary, TestContext.Current.CancellationToken));
    }
}
