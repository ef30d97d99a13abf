using System.Text.Json;
using System.Text.Json.Serialization;

namespace LegacyLinking.Web.Auth0;

/// <summary>The <c>/userinfo</c> answer, named as Auth0.AuthenticationApi's <c>UserInfo</c>.</summary>
public sealed class UserInfo
{
    [JsonPropertyName("sub")] public string UserId { get; set; } = "";
    [JsonPropertyName("name")] public string? FullName { get; set; }
    [JsonPropertyName("given_name")] public string? FirstName { get; set; }
    [JsonPropertyName("family_name")] public string? LastName { get; set; }
    [JsonPropertyName("nickname")] public string? NickName { get; set; }
    [JsonPropertyName("picture")] public string? Picture { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }
    /// <summary>Only a JSON boolean counts; a string "true" is not a verified email.</summary>
    [JsonPropertyName("email_verified")] public JsonElement EmailVerifiedRaw { get; set; }
    [JsonPropertyName("phone_number")] public string? PhoneNumber { get; set; }
    [JsonPropertyName("updated_at")] public string? UpdatedAt { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalClaims { get; set; }

    [JsonIgnore] public bool? EmailVerified => EmailVerifiedRaw.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
