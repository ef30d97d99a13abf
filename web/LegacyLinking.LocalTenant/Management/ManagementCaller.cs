using LegacyLinking.LocalTenant.Tokens;
using Microsoft.AspNetCore.Http;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>
/// Who called a Management API endpoint, once <see cref="ManagementBearerFilter"/> accepted the bearer.
/// <see cref="OwnUserOnly"/> is true when only a <c>current_user</c> scope (or an ID token) let the call in: such a
/// caller may act on its own user alone, and only as far as those scopes go.
/// </summary>
public sealed record ManagementCaller(TenantToken Token, IReadOnlySet<string> Scopes, bool OwnUserOnly)
{
    public string Subject => Token.Subject;

    /// <summary>The application the token was issued to (<c>azp</c>, or the ID token's <c>aud</c>).</summary>
    public string? ClientId => Token.ClientId;

    public bool IsIdToken => Token.Kind == TenantTokenKind.IdToken;

    public bool Has(string scope) => Scopes.Contains(scope);

    public static ManagementCaller Of(HttpContext http) =>
        http.Features.Get<ManagementCaller>()
        ?? throw new InvalidOperationException("The endpoint has no ManagementOperation metadata, so no caller was authenticated.");
}
