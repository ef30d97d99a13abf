using OpenIddict.Abstractions;

namespace LegacyLinking.LocalTenant.PasswordReset;

/// <summary>An application's name and the page of its own that users can sign in from.</summary>
public sealed record ClientLanding(string Name, string Url);

/// <summary>
/// Where the reset page sends the user back to. Auth0 takes it from the email template's "Redirect To" setting; this
/// tenant has none, so it uses the application's first allowed logout URL: the app's own page that it registered to
/// receive users, so the link can never point anywhere the application did not name.
/// </summary>
public sealed class ClientHome(IOpenIddictApplicationManager applications)
{
    public async Task<ClientLanding?> FindAsync(string? clientId, CancellationToken cancellationToken)
    {
        if (clientId is null || await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application) return null;
        var urls = await applications.GetPostLogoutRedirectUrisAsync(application, cancellationToken);
        if (urls.IsDefaultOrEmpty) return null;
        return new ClientLanding(await applications.GetDisplayNameAsync(application, cancellationToken) ?? clientId, urls[0]);
    }
}
