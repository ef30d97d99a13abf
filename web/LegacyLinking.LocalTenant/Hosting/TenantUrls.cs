namespace LegacyLinking.LocalTenant.Hosting;

/// <summary>The tenant's public identifiers, all derived from <c>LocalTenant:Url</c> as Auth0 derives them from the domain.</summary>
public sealed class TenantUrls
{
    public TenantUrls(Uri baseUrl)
    {
        // Auth0's issuer carries the trailing slash; clients compare it verbatim.
        Issuer = new Uri(baseUrl.GetLeftPart(UriPartial.Authority) + "/");
        ManagementAudience = Issuer.AbsoluteUri + "api/v2/";
        UserInfoAudience = Issuer.AbsoluteUri + "userinfo";
    }

    public Uri Issuer { get; }

    /// <summary>The Management API identifier, <c>{url}/api/v2/</c>.</summary>
    public string ManagementAudience { get; }

    /// <summary>The audience Auth0 adds to every access token minted with <c>openid</c>.</summary>
    public string UserInfoAudience { get; }
}
