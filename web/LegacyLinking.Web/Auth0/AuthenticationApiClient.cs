using System.Net.Http.Json;

namespace LegacyLinking.Web.Auth0;

/// <summary>
/// Auth0 Authentication API, mirroring Auth0.AuthenticationApi's method names so the SDK can be swapped in.
/// The HttpClient's BaseAddress is the tenant's authority.
/// </summary>
/// <remarks>Only the calls the app makes, with the SDK's signatures: the SDK-parity surface, nothing for tests alone.</remarks>
public sealed class AuthenticationApiClient(HttpClient http)
{
    /// <summary><c>POST /oauth/token</c> with <c>grant_type=client_credentials</c>, form-encoded as the SDK sends it.</summary>
    public Task<AccessTokenResponse> GetTokenAsync(ClientCredentialsTokenRequest request, CancellationToken cancellationToken = default)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = request.ClientId,
            ["client_secret"] = request.ClientSecret,
            ["audience"] = request.Audience,
        };
        if (!string.IsNullOrEmpty(request.Organization)) form["organization"] = request.Organization;
        return PostTokenAsync(form, cancellationToken);
    }

    /// <summary><c>POST /oauth/token</c> with <c>grant_type=refresh_token</c>: new tokens for the user, without a login.</summary>
    public Task<AccessTokenResponse> GetTokenAsync(RefreshTokenRequest request, CancellationToken cancellationToken = default)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = request.ClientId,
            ["client_secret"] = request.ClientSecret,
            ["refresh_token"] = request.RefreshToken,
        };
        if (!string.IsNullOrEmpty(request.Scope)) form["scope"] = request.Scope;
        return PostTokenAsync(form, cancellationToken);
    }

    private async Task<AccessTokenResponse> PostTokenAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "oauth/token") { Content = new FormUrlEncodedContent(form) };
        using var response = await ApiResponses.SendAsync(http, message, cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<AccessTokenResponse>(cancellationToken)
            ?? throw new ErrorApiException(response.StatusCode, new ApiError { Message = "Empty token response." });
    }

    /// <summary>
    /// The deprecated Authentication API unlink, <c>POST /unlink {access_token, user_id}</c>. Kept only for the
    /// <c>LegacyUnlinkEndpoint</c> flow; the replacement is <see cref="UsersClient.UnlinkAccountAsync"/>.
    /// </summary>
    [Obsolete("Auth0 deprecated POST /unlink; use the Management API's DELETE /users/{id}/identities/{provider}/{user_id}.")]
    public async Task UnlinkAsync(UnlinkUserRequest request, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "unlink") { Content = JsonContent.Create(request) };
        using var response = await ApiResponses.SendAsync(http, message, cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
    }
}
