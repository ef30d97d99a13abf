using System.Net;
using LegacyLinking.Tests.Infrastructure;
using LegacyLinking.Tests.LocalTenant.PasswordReset;

namespace LegacyLinking.Tests.LocalTenant.Outbox;

/// <summary>The tenant's outbox as tests read it (<c>/test/emails</c>): per recipient, oldest first, cleared with the other controls.</summary>
public sealed class OutboxTests(PasswordResetTenantFixture tenant) : IClassFixture<PasswordResetTenantFixture>
{
    [Fact]
    public async Task Emails_are_listed_oldest_first_per_recipient_and_cleared_by_delete_and_reset()
    {
        var ada = $"ada-{Guid.NewGuid():N}@example.com";
        var bob = $"bob-{Guid.NewGuid():N}@example.com";
        await tenant.CreateDatabaseUserAsync(ada);
        await tenant.CreateDatabaseUserAsync(bob);
        var first = await tenant.ResetLinkAsync(ada);
        await tenant.ResetLinkAsync(bob);
        var second = await tenant.ResetLinkAsync(ada);

        var adas = await tenant.Controls.EmailsAsync(ada.ToUpperInvariant());
        Assert.Equal([first.ToString(), second.ToString()], adas.Select(e => e.GetProperty("link").GetString()));
        Assert.All(adas, e => Assert.Equal(ada, e.GetProperty("to").GetString()));
        Assert.True((await tenant.Controls.EmailsAsync()).Count >= 3);

        using var client = tenant.CreateClient();
        using var deleted = await client.DeleteAsync("/test/emails", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await tenant.Controls.EmailsAsync());

        await tenant.ResetLinkAsync(bob);
        await tenant.Controls.ResetAsync();
        Assert.Empty(await tenant.Controls.EmailsAsync());
    }
}
