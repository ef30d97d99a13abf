using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LegacyLinking.LocalTenant.Hosting;
using LegacyLinking.LocalTenant.Keys;
using Microsoft.IdentityModel.Tokens;

namespace LegacyLinking.LocalTenant.TestControls;

/// <summary>
/// Turns a valid ID token into a defective one, one defect per mutation (names after the OpenID RP tests and
/// the OpenID Foundation RP tests). Claim mutations are re-signed with the tenant's own key, so the named claim is the only
/// defect; signature mutations (<c>sig</c>, <c>kid</c>, <c>none</c>, <c>hs256</c>) keep the claims and break the proof.
/// </summary>
public sealed class IdTokenMutator(TenantKeyStore keys, TenantUrls urls, TimeProvider clock)
{
    /// <summary>An audience that is not the client's.</summary>
    public const string WrongAudience = "another-client-of-this-tenant";
    public const string UntrustedAudience = "https://untrusted.example/";
    public const string WrongIssuer = "https://another-tenant.eu.auth0.com/";
    public const string UnknownKeyId = "unknown-kid-not-in-jwks";

    private delegate void Change(Jws token, IdTokenMutator self);

    private static readonly Dictionary<string, Change> Changes = new(StringComparer.Ordinal)
    {
        ["aud"] = (t, s) => s.Sign(t.Set("aud", WrongAudience)),
        ["aud-extra"] = (t, s) => s.Sign(t.Set("aud", new JsonArray(t.Payload["aud"]?.DeepClone(), UntrustedAudience))),
        ["azp-wrong"] = (t, s) => s.Sign(t.Set("azp", WrongAudience)),
        ["iss"] = (t, s) => s.Sign(t.Set("iss", WrongIssuer)),
        ["iss-no-slash"] = (t, s) => s.Sign(t.Set("iss", s.Issuer.TrimEnd('/'))),
        ["exp"] = (t, s) => s.Sign(t.Set("exp", s.Now - 3600)),
        ["exp-missing"] = (t, s) => s.Sign(t.Remove("exp")),
        ["nbf-future"] = (t, s) => s.Sign(t.Set("nbf", s.Now + 3600)),
        ["iat-missing"] = (t, s) => s.Sign(t.Remove("iat")),
        ["sub-missing"] = (t, s) => s.Sign(t.Remove("sub")),
        ["nonce"] = (t, s) => s.Sign(t.Set("nonce", "wrong-nonce-" + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(9)))),
        ["nonce-missing"] = (t, s) => s.Sign(t.Remove("nonce")),
        ["email_verified-string"] = (t, s) => s.Sign(t.Set("email_verified", "true")),
        ["auth_time-old"] = (t, s) => s.Sign(t.Set("auth_time", s.Now - 7 * 24 * 3600)),
        // An independent emulator was seen doing this after max_age=0, which OIDC Core 3.1.2.2 forbids.
        ["auth_time-missing"] = (t, s) => s.Sign(t.Remove("auth_time")),
        ["kid-missing"] = (t, s) => s.Sign(t.RemoveHeader("kid")),
        ["kid-missing-stranger"] = (t, _) => SignWithStrangerKey(t.RemoveHeader("kid")),
        ["sig"] = (t, _) => t.FlipSignature(),
        ["kid"] = (t, _) => SignWithStrangerKey(t.SetHeader("kid", UnknownKeyId)),
        ["none"] = (t, _) => t.SetHeader("alg", "none").Unsigned(),
        ["hs256"] = (t, s) => s.SignHs256WithPublicKey(t.SetHeader("alg", "HS256")),
    };

    /// <summary>Other names for the same defects (rohe/oidctest and the catalogue's extra list).</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["issi"] = "iss",
        ["iss-slash"] = "iss-no-slash",
        ["idts"] = "sig",
        ["itsub"] = "sub-missing",
        ["iat"] = "iat-missing",
        ["exp-past"] = "exp",
        ["kid-unknown"] = "kid",
        ["hs256-with-rsa-pubkey"] = "hs256",
        ["nokid1jwks"] = "kid-missing",
    };

    public static IEnumerable<string> Names => Changes.Keys;

    /// <summary>The canonical mutation name for <paramref name="name"/> (an alias is resolved), or null if unknown.</summary>
    public static string? Canonical(string? name) =>
        name is null ? null : Changes.ContainsKey(name) ? name : Aliases.GetValueOrDefault(name);

    public string Apply(string mutation, string idToken)
    {
        var token = Jws.Parse(idToken);
        Changes[Canonical(mutation) ?? throw new ArgumentException($"Unknown mutation '{mutation}'.", nameof(mutation))](token, this);
        return token.Serialized ?? throw new InvalidOperationException($"Mutation '{mutation}' produced no token.");
    }

    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    private string Issuer => urls.Issuer.AbsoluteUri;

    private void Sign(Jws token) => SignRs256(token, keys.Keys.Signing.Rsa);

    private static void SignRs256(Jws token, RSA rsa) =>
        token.SignWith(input => rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>A key the tenant never published: the token verifies with no key of the JWKS, whatever the validator tries.</summary>
    private static void SignWithStrangerKey(Jws token)
    {
        using var stranger = RSA.Create(2048);
        SignRs256(token, stranger);
    }

    /// <summary>Algorithm confusion: HMAC-SHA256 keyed with the tenant's RSA public key (its SubjectPublicKeyInfo PEM).</summary>
    private void SignHs256WithPublicKey(Jws token)
    {
        var secret = Encoding.UTF8.GetBytes(keys.Keys.Signing.Rsa.ExportSubjectPublicKeyInfoPem());
        token.SignWith(input => HMACSHA256.HashData(secret, input));
    }

    /// <summary>A compact JWS taken apart: its header and payload as JSON, changed in place, then put back together.</summary>
    private sealed class Jws
    {
        private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        private readonly string[] _original;

        private Jws(string[] original)
        {
            _original = original;
            Header = Decode(original[0]);
            Payload = Decode(original[1]);
        }

        public JsonObject Header { get; }
        public JsonObject Payload { get; }
        public string? Serialized { get; private set; }

        public static Jws Parse(string compact)
        {
            var parts = compact.Split('.');
            if (parts.Length != 3) throw new ArgumentException("Not a compact JWS.", nameof(compact));
            return new Jws(parts);
        }

        public Jws Set(string claim, JsonNode? value)
        {
            Payload[claim] = value;
            return this;
        }

        public Jws Remove(string claim)
        {
            Payload.Remove(claim);
            return this;
        }

        public Jws SetHeader(string name, string value)
        {
            Header[name] = value;
            return this;
        }

        public Jws RemoveHeader(string name)
        {
            Header.Remove(name);
            return this;
        }

        public void SignWith(Func<byte[], byte[]> sign)
        {
            var input = SigningInput();
            Serialized = input + "." + Base64UrlEncoder.Encode(sign(Encoding.ASCII.GetBytes(input)));
        }

        public void Unsigned() => Serialized = SigningInput() + ".";

        /// <summary>The original token with the signature's first byte inverted: same bytes signed, a proof that fails.</summary>
        public void FlipSignature()
        {
            var signature = Base64UrlEncoder.DecodeBytes(_original[2]);
            signature[0] ^= 0xFF;
            Serialized = _original[0] + "." + _original[1] + "." + Base64UrlEncoder.Encode(signature);
        }

        private string SigningInput() => Encode(Header) + "." + Encode(Payload);

        private static string Encode(JsonObject json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json.ToJsonString(Compact)));

        private static JsonObject Decode(string part) =>
            JsonNode.Parse(Base64UrlEncoder.DecodeBytes(part)) as JsonObject
            ?? throw new ArgumentException("A JWS part is not a JSON object.", nameof(part));
    }
}
