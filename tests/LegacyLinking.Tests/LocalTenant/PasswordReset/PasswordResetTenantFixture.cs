using System.Net;
using LegacyLinking.Tests.Infrastructure;

namespace LegacyLinking.Tests.LocalTenant.PasswordReset;

/// <summary>
/// A tenant with the Management API helpers (fresh users, logs) and the test controls on (the outbox at
/// <c>/test/emails</c>), plus the steps of a password reset as a user takes them.
/// </summary>
public sealed class PasswordResetTenantFixture : ManagementTenantFixture
{
    public const string DatabaseConnection = TenantLoginDriver.DatabaseConnection;
    public const string SentMessage = "We've just sent you an email to reset your password.";

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [.. base.ExtraSettings, new("LocalTenant:TestControls", "true")];

    public TestControlsClient Controls => new(CreateClient());

    /// <summary><c>POST /dbconnections/change_password</c> with a JSON body.</summary>
    public Task<ApiReply> RequestResetAsync(object body) => Api.PostToTenantAsync("/dbconnections/change_password", TenantApi.Json(body));

    /// <summary>Asks for a reset of <paramref name="email"/> as the seeded application and returns the emailed link.</summary>
    public async Task<Uri> ResetLinkAsync(string email)
    {
        (await RequestResetAsync(new { client_id = ClientId, email, connection = DatabaseConnection })).IsSuccess();
        return await Controls.LatestLinkAsync(email);
    }

    /// <summary>Opens a tenant page (a reset link) in <paramref name="browser"/>.</summary>
    public Task<TenantStep> OpenAsync(HttpClient browser, Uri page) => CreateDriver(browser).OpenAsync(page);

    /// <summary>Fills the reset page's form and submits it.</summary>
    public async Task<TenantStep> SubmitNewPasswordAsync(HttpClient browser, TenantStep resetPage, string password, string? confirm = null)
    {
        var form = resetPage.Form("[data-test='reset-password']").Set("reset-password", password).Set("reset-confirm", confirm ?? password);
        return await CreateDriver(browser).FollowAsync(form.Submit("reset-submit"));
    }

    /// <summary>Whether <paramref name="email"/> and <paramref name="password"/> sign in at the login page (a code comes back).</summary>
    public async Task<bool> SignsInAsync(string email, string password)
    {
        var step = await CreateDriver().LoginWithPasswordAsync(new AuthorizeRequest { Tenant = Url }.ToUri(), email, password);
        Assert.True(step.Code is not null || step.Status == HttpStatusCode.Unauthorized, $"neither signed in nor refused: {step}");
        return step.Code is not null;
    }
}
