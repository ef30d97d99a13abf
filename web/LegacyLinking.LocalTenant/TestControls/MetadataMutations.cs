using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace LegacyLinking.LocalTenant.TestControls;

/// <summary>
/// Changes to the tenant's metadata set by <c>POST /test/metadata</c>: each stays on (for every app that reads the
/// discovery document or the key set) until <c>DELETE /test/metadata</c> or <c>/test/reset</c>. Named after the OpenID
/// RP tests: <c>isso</c> (discovery names another issuer) and the key set of <c>nokidmuljwks</c> (several keys).
/// </summary>
public sealed class MetadataMutations
{
    /// <summary>The discovery document's <c>issuer</c> becomes <see cref="IdTokenMutator.WrongIssuer"/>.</summary>
    public const string Issuer = "isso";

    /// <summary>The key set lists another RSA key before the signing key, as a tenant publishing its next key does.</summary>
    public const string ExtraKey = "jwks-extra-key";

    public const string ExtraKeyId = "extra-key-that-signs-nothing";

    public static IReadOnlyList<string> Names { get; } = [Issuer, ExtraKey];

    private readonly Lock _gate = new();
    private readonly HashSet<string> _on = new(StringComparer.Ordinal);
    private readonly Lazy<JsonObject> _extraKey = new(NewPublicKey);

    public bool IsEmpty
    {
        get { lock (_gate) return _on.Count == 0; }
    }

    public bool IsOn(string name)
    {
        lock (_gate) return _on.Contains(name);
    }

    public void Add(string name)
    {
        lock (_gate) _on.Add(name);
    }

    public IReadOnlyList<string> List()
    {
        lock (_gate) return [.. _on.Order(StringComparer.Ordinal)];
    }

    public void Clear()
    {
        lock (_gate) _on.Clear();
    }

    /// <summary>The public half of a key made for this purpose; its private half is dropped, so it verifies nothing.</summary>
    public JsonObject ExtraPublicKey => (JsonObject)_extraKey.Value.DeepClone();

    private static JsonObject NewPublicKey()
    {
        using var rsa = RSA.Create(2048);
        var key = rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = ExtraKeyId,
            ["n"] = Base64UrlEncoder.Encode(key.Modulus), ["e"] = Base64UrlEncoder.Encode(key.Exponent),
        };
    }
}

/// <summary>
/// Applies <see cref="MetadataMutations"/> to <c>GET /.well-known/openid-configuration</c> and
/// <c>/.well-known/jwks.json</c>. Nothing is buffered while none is on.
/// </summary>
public sealed class MetadataMutationMiddleware(RequestDelegate next, MetadataMutations mutations)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path;
        var discovery = path.Equals("/.well-known/openid-configuration", StringComparison.OrdinalIgnoreCase);
        var keySet = path.Equals("/.well-known/jwks.json", StringComparison.OrdinalIgnoreCase);
        if (mutations.IsEmpty || !HttpMethods.IsGet(http.Request.Method) || !(discovery || keySet))
        {
            await next(http);
            return;
        }

        await JsonResponseRewriter.RunAsync(http, next, json =>
        {
            if (discovery && mutations.IsOn(MetadataMutations.Issuer))
            {
                json["issuer"] = IdTokenMutator.WrongIssuer;
                return true;
            }
            if (keySet && mutations.IsOn(MetadataMutations.ExtraKey) && json["keys"] is JsonArray keys)
            {
                keys.Insert(0, mutations.ExtraPublicKey);
                return true;
            }
            return false;
        });
    }
}
