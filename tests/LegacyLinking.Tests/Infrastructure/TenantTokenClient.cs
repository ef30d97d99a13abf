using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>The back-channel calls an app makes to the tenant: <c>/oauth/token</c> grants and <c>/userinfo</c>.</summary>
public sealed class TenantTokenClient(HttpClient http, Uri tenant)
{
    public Task<TokenResponse> RedeemCodeAsync(
        string code, AuthorizeRequest request, string? codeVerifier = null, string clientSecret = LocalTenantFixture.ClientSecret) =>
        PostAsync(new Dictionary<string, string?>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = request.ClientId,
            ["client_secret"] = clientSecret,
            ["code"] = code,
            ["redirect_uri"] = request.RedirectUri,
            ["code_verifier"] = codeVerifier ?? request.CodeVerifier,
        });

    public Task<TokenResponse> RefreshAsync(string refreshToken, string clientId = LocalTenantFixture.ClientId,
        string clientSecret = LocalTenantFixture.ClientSecret, string? scope = null) =>
        PostAsync(new Dictionary<string, string?>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["refresh_token"] = refreshToken,
            ["scope"] = scope,
        });

    public Task<TokenResponse> ClientCredentialsAsync(string? audience, string clientId = LocalTenantFixture.ClientId,
        string clientSecret = LocalTenantFixture.ClientSecret, string? scope = null) =>
        PostAsync(new Dictionary<string, string?>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["audience"] = audience,
            ["scope"] = scope,
        });

    /// <summary>POSTs form fields (null values are left out) to <c>/oauth/token</c>.</summary>
    public async Task<TokenResponse> PostAsync(IReadOnlyDictionary<string, string?> fields)
    {
        var form = fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!));
        return await SendAsync(new FormUrlEncodedContent(form));
    }

    /// <summary>POSTs a JSON body to <c>/oauth/token</c>, as Auth0's samples do.</summary>
    public Task<TokenResponse> PostJsonAsync(object body) =>
        SendAsync(new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"));

    public async Task<(HttpStatusCode Status, JsonElement Body)> UserInfoAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(tenant, "/userinfo"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<TokenResponse> SendAsync(HttpContent content)
    {
        using var response = await http.PostAsync(new Uri(tenant, "/oauth/token"), content);
        var text = await response.Content.ReadAsStringAsync();
        return new TokenResponse(response.StatusCode, JsonDocument.Parse(text).RootElement.Clone())
        {
            Challenge = response.Headers.WwwAuthenticate.ToString(),
        };
    }
}

public sealed record TokenResponse(HttpStatusCode Status, JsonElement Json)
{
    /// <summary>The response's <c>WWW-Authenticate</c> header, empty when there is none.</summary>
    public string Challenge { get; init; } = "";

    public string? AccessToken => Text("access_token");
    public string? IdToken => Text("id_token");
    public string? RefreshToken => Text("refresh_token");
    public string? Scope => Text("scope");
    public string? Error => Text("error");
    public string? ErrorDescription => Text("error_description");

    public string? Text(string name) =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public override string ToString() => $"{(int)Status} {Json}";
}
