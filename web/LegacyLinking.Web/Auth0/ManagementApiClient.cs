namespace LegacyLinking.Web.Auth0;

/// <summary>
/// The Management API v2 client, shaped like Auth0.ManagementApi's <c>ManagementApiClient</c>. By default every call
/// carries the app's cached client-credentials token; <see cref="WithToken"/> gives a view that sends a given
/// bearer instead (the user's access token, or — for the legacy flow — an ID token), like
/// <c>new ManagementApiClient(token, domain)</c>.
/// </summary>
public sealed class ManagementApiClient(HttpClient http, ManagementTokenCache tokens)
{
    public UsersClient Users => new(http, _ => tokens.GetTokenAsync(_));

    public JobsClient Jobs => new(http, _ => tokens.GetTokenAsync(_));

    public ManagementApiClient.Scoped WithToken(string bearer) => new(new UsersClient(http, _ => Task.FromResult(bearer)));

    public sealed class Scoped(UsersClient users)
    {
        public UsersClient Users { get; } = users;
    }
}
