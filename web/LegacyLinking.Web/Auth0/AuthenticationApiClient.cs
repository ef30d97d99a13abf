using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace LegacyLinking.Web.Auth0;

/// <summary>
/// Auth0 Authentication API, mirroring Auth0.AuthenticationApi's method names so the SDK can be swapped in.
/// The HttpClient's BaseAddress is the tenant's authority.
/// </summary>
public sealed class AuthenticationApiClient(HttpClient http)
{
    public async Task<UserInfo> GetUserInfoAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<UserInfo>(cancellationToken)
            ?? throw new ErrorApiException(response.StatusCode, new ApiError { Message = "Empty /userinfo response." });
    }
}

internal static class ApiResponses
{
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new ErrorApiException(response.StatusCode, ApiError.Parse(body));
    }
}
