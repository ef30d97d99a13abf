using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace LegacyLinking.Web.Auth0;

/// <summary>
/// <c>/api/v2/users…</c>, with the method names and signatures of Auth0.ManagementApi's <c>IUsersClient</c>.
/// Every path segment is escaped (<c>auth0|abc</c> → <c>auth0%7Cabc</c>), as the SDK does.
/// </summary>
/// <remarks>
/// Only the calls the app makes, each with the SDK's signature (its optional parameters included): that is the
/// surface the SDK could be swapped in for. Nothing here exists for the tests alone.
/// </remarks>
public sealed class UsersClient(HttpClient http, Func<CancellationToken, Task<string>> bearer)
{
    public async Task<User> GetAsync(string id, string? fields = null, bool includeFields = true, CancellationToken cancellationToken = default)
    {
        var query = fields is null ? "" : $"?fields={Uri.EscapeDataString(fields)}&include_fields={(includeFields ? "true" : "false")}";
        return await SendAsync<User>(HttpMethod.Get, $"users/{Escape(id)}{query}", null, null, cancellationToken);
    }

    public Task<User> UpdateAsync(string id, UserUpdateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<User>(HttpMethod.Patch, $"users/{Escape(id)}", JsonContent.Create(request), null, cancellationToken);

    public async Task<IList<User>> GetUsersByEmailAsync(string email, string? fields = null, bool? includeFields = null, CancellationToken cancellationToken = default)
    {
        // The email travels as a query value, never spliced into a search expression.
        var query = $"users-by-email?email={Uri.EscapeDataString(email)}";
        if (fields is not null) query += $"&fields={Uri.EscapeDataString(fields)}";
        if (includeFields is { } include) query += $"&include_fields={(include ? "true" : "false")}";
        return await SendAsync<List<User>>(HttpMethod.Get, query, null, null, cancellationToken);
    }

    /// <summary>
    /// The JWT form: <c>{link_with: secondaryJwtToken}</c> with <paramref name="primaryJwtToken"/> as the bearer,
    /// exactly like the SDK overload. Pass an access token; an ID token here is the deprecated flow.
    /// </summary>
    public async Task<IList<AccountLinkResponse>> LinkAccountAsync(string id, string primaryJwtToken, string secondaryJwtToken, CancellationToken cancellationToken = default) =>
        await SendAsync<List<AccountLinkResponse>>(
            HttpMethod.Post, $"users/{Escape(id)}/identities",
            JsonContent.Create(new UserAccountJwtLinkRequest { LinkWith = secondaryJwtToken }), primaryJwtToken, cancellationToken);

    public async Task<IList<AccountLinkResponse>> UnlinkAccountAsync(string primaryUserId, string provider, string secondaryUserId, CancellationToken cancellationToken = default) =>
        await SendAsync<List<AccountLinkResponse>>(
            HttpMethod.Delete, $"users/{Escape(primaryUserId)}/identities/{Escape(provider)}/{Escape(secondaryUserId)}", null, null, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, string? bearerOverride, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerOverride ?? await bearer(cancellationToken));
        using var response = await ApiResponses.SendAsync(http, request, cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
            ?? throw new ErrorApiException(response.StatusCode, new ApiError { Message = $"Empty answer from {method} {path}." });
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
