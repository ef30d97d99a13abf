using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace LegacyLinking.LocalTenant.Pages;

/// <summary>
/// The <c>returnUrl</c> of the login pages: only this tenant's own <c>/authorize?…</c> (never an open redirect), whose
/// query says which application asks and which connection it wants.
/// </summary>
public static class LoginReturnUrl
{
    public const int MaxLength = 8 * 1024;
    public const string InvalidMessage = "This sign-in link is incomplete. Go back to the application and sign in from there.";

    public static bool IsValid(string? returnUrl, IUrlHelper url) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.Length <= MaxLength && url.IsLocalUrl(returnUrl)
        && returnUrl.StartsWith("/authorize?", StringComparison.Ordinal);

    /// <summary>
    /// A tenant page's address carrying this <c>returnUrl</c>. Built here rather than by the link generator (tag
    /// helpers' <c>asp-route-*</c>), which logs route values at Debug: a legacy sign-in's <c>returnUrl</c> carries an
    /// access token (<c>/authorize?access_token=…</c>).
    /// </summary>
    public static string Link(string path, string? returnUrl) => QueryHelpers.AddQueryString(path, "returnUrl", returnUrl ?? "");

    /// <summary>A parameter of the authorization request, or null when absent or empty.</summary>
    public static string? Parameter(string? returnUrl, string name)
    {
        var query = returnUrl is null ? "" : returnUrl[Math.Max(0, returnUrl.IndexOf('?'))..];
        var value = QueryHelpers.ParseQuery(query).GetValueOrDefault(name).ToString();
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
