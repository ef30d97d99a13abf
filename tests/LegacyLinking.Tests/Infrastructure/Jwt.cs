using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>Reads a JWT's header and payload without validating it (tests check the claims themselves).</summary>
public sealed partial record Jwt(JsonElement Header, JsonElement Payload)
{
    /// <summary>
    /// Whether <paramref name="text"/> holds something shaped like a JWT (header.payload.signature). A bare "eyJ" is not
    /// enough: random base64url such as an antiforgery token contains it now and then.
    /// </summary>
    public static bool AppearsIn(string text) => Shape().IsMatch(text);

    [GeneratedRegex(@"eyJ[\w-]+\.[\w-]+\.[\w-]*")]
    private static partial Regex Shape();

    public static Jwt Parse(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) throw new FormatException("A JWS has three parts.");
        return new Jwt(Decode(parts[0]), Decode(parts[1]));
    }

    public string? Claim(string name) =>
        Payload.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    private static JsonElement Decode(string part)
    {
        var base64 = part.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(base64))).RootElement.Clone();
    }
}
