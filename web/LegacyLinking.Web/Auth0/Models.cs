using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LegacyLinking.Web.Auth0;

// Shapes mirror Auth0.ManagementApi (v7) so the SDK can replace these clients; JSON names are Auth0's.

public class Identity
{
    [JsonPropertyName("provider")] public string Provider { get; set; } = "";
    /// <summary>Some providers (GitHub) send a number; it is always read as text.</summary>
    [JsonPropertyName("user_id"), JsonConverter(typeof(StringOrNumberConverter))] public string UserId { get; set; } = "";
    [JsonPropertyName("connection")] public string? Connection { get; set; }
    [JsonPropertyName("isSocial")] public bool? IsSocial { get; set; }
    [JsonPropertyName("profileData")] public JsonObject? ProfileData { get; set; }
    // IdP tokens are only returned with read:user_idp_tokens; the app never requests that scope nor shows them.
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; set; }
}

public sealed class AccountLinkResponse : Identity;

public sealed class User
{
    [JsonPropertyName("user_id")] public string UserId { get; set; } = "";
    [JsonPropertyName("email")] public string? Email { get; set; }
    [JsonPropertyName("email_verified")] public JsonElement EmailVerifiedRaw { get; set; }
    [JsonPropertyName("name")] public string? FullName { get; set; }
    [JsonPropertyName("nickname")] public string? NickName { get; set; }
    [JsonPropertyName("picture")] public string? Picture { get; set; }
    [JsonPropertyName("given_name")] public string? FirstName { get; set; }
    [JsonPropertyName("family_name")] public string? LastName { get; set; }
    [JsonPropertyName("phone_number")] public string? PhoneNumber { get; set; }
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; set; }
    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; set; }
    [JsonPropertyName("last_login")] public DateTimeOffset? LastLogin { get; set; }
    [JsonPropertyName("last_password_reset")] public DateTimeOffset? LastPasswordReset { get; set; }
    [JsonPropertyName("logins_count")] public long? LoginsCount { get; set; }
    [JsonPropertyName("blocked")] public bool? Blocked { get; set; }
    [JsonPropertyName("identities")] public Identity[] Identities { get; set; } = [];
    [JsonPropertyName("user_metadata")] public JsonObject? UserMetadata { get; set; }
    [JsonPropertyName("app_metadata")] public JsonObject? AppMetadata { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? ProviderAttributes { get; set; }

    /// <summary>Only the JSON boolean <c>true</c> counts as verified (a string "true" does not).</summary>
    [JsonIgnore] public bool EmailVerified => EmailVerifiedRaw.ValueKind == JsonValueKind.True;
}

public sealed class UserAccountJwtLinkRequest
{
    [JsonPropertyName("link_with")] public string LinkWith { get; set; } = "";
}

/// <summary>
/// PATCH body. Unlike the SDK (which drops nulls), a metadata key set to JSON null is sent, because that is how
/// Auth0 deletes a key.
/// </summary>
public sealed class UserUpdateRequest
{
    [JsonPropertyName("user_metadata"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? UserMetadata { get; set; }
    [JsonPropertyName("app_metadata"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? AppMetadata { get; set; }
    [JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? FullName { get; set; }
    [JsonPropertyName("nickname"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? NickName { get; set; }
    [JsonPropertyName("picture"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Picture { get; set; }
    [JsonPropertyName("blocked"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Blocked { get; set; }
    [JsonPropertyName("connection"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Connection { get; set; }
}

public sealed class ClientCredentialsTokenRequest
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string Audience { get; set; } = "";
    public string? Organization { get; set; }
}

/// <summary>The <c>refresh_token</c> grant; <see cref="Scope"/> may ask for fewer scopes than the login granted, never more.</summary>
public sealed class RefreshTokenRequest
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string RefreshToken { get; set; } = "";
    public string? Scope { get; set; }
}

public sealed class AccessTokenResponse
{
    [JsonPropertyName("access_token")] public string AccessToken { get; set; } = "";
    [JsonPropertyName("token_type")] public string? TokenType { get; set; }
    [JsonPropertyName("id_token")] public string? IdToken { get; set; }
    [JsonPropertyName("expires_in")] public int ExpiresIn { get; set; }
    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; set; }
    [JsonPropertyName("scope")] public string? Scope { get; set; }
}

/// <summary>The legacy <c>POST /unlink</c> body.</summary>
public sealed class UnlinkUserRequest
{
    [JsonPropertyName("access_token")] public string AccessToken { get; set; } = "";
    /// <summary>The linked identity as <c>provider|id</c>.</summary>
    [JsonPropertyName("user_id")] public string UserId { get; set; } = "";
}

internal sealed class StringOrNumberConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString() ?? "",
            JsonTokenType.Number => reader.TryGetInt64(out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : reader.GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new JsonException("user_id must be a string or a number."),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
