using System.Text.Json;
using System.Text.Json.Nodes;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>
/// The tenant-settings object as Auth0's <c>PATCH /api/v2/tenants/settings</c> accepts it: the properties Auth0
/// documents, each checked for its JSON type, and Auth0's tenant flags (booleans). Anything else is a 400, as on Auth0.
/// The tenant stores what it does not act on (see <c>docs/local-tenant-management-api.md</c>).
/// </summary>
public static class TenantSettingsSchema
{
    public const string FlagsProperty = "flags";

    private enum Kind { String, Boolean, Integer, StringArray, Object }

    /// <summary>Auth0's tenant-settings properties (Management API v2 and go-auth0's <c>Tenant</c>), by JSON type.</summary>
    private static readonly Dictionary<string, Kind> Properties = new(StringComparer.Ordinal)
    {
        ["friendly_name"] = Kind.String,
        ["picture_url"] = Kind.String,
        ["support_email"] = Kind.String,
        ["support_url"] = Kind.String,
        ["default_audience"] = Kind.String,
        ["default_directory"] = Kind.String,
        ["default_redirection_uri"] = Kind.String,
        ["sandbox_version"] = Kind.String,
        ["allowed_logout_urls"] = Kind.StringArray,
        ["enabled_locales"] = Kind.StringArray,
        ["acr_values_supported"] = Kind.StringArray,
        ["session_lifetime"] = Kind.Integer,
        ["idle_session_lifetime"] = Kind.Integer,
        ["session_lifetime_in_minutes"] = Kind.Integer,
        ["idle_session_lifetime_in_minutes"] = Kind.Integer,
        ["allow_organization_name_in_authentication_api"] = Kind.Boolean,
        ["customize_mfa_in_postlogin_action"] = Kind.Boolean,
        ["pushed_authorization_requests_supported"] = Kind.Boolean,
        ["change_password"] = Kind.Object,
        ["guardian_mfa_page"] = Kind.Object,
        ["error_page"] = Kind.Object,
        ["device_flow"] = Kind.Object,
        ["universal_login"] = Kind.Object,
        ["session_cookie"] = Kind.Object,
        ["sessions"] = Kind.Object,
        ["oidc_logout"] = Kind.Object,
        ["mtls"] = Kind.Object,
        ["default_token_quota"] = Kind.Object,
    };

    /// <summary>Sub-properties Auth0 types, checked inside their objects (others inside those objects are stored as sent).</summary>
    private static readonly Dictionary<string, Kind> Nested = new(StringComparer.Ordinal)
    {
        ["change_password.enabled"] = Kind.Boolean,
        ["change_password.html"] = Kind.String,
        ["guardian_mfa_page.enabled"] = Kind.Boolean,
        ["guardian_mfa_page.html"] = Kind.String,
        ["error_page.html"] = Kind.String,
        ["error_page.show_log_link"] = Kind.Boolean,
        ["error_page.url"] = Kind.String,
        ["device_flow.charset"] = Kind.String,
        ["device_flow.mask"] = Kind.String,
        ["session_cookie.mode"] = Kind.String,
        ["sessions.oidc_logout_prompt_enabled"] = Kind.Boolean,
        ["oidc_logout.rp_logout_end_session_endpoint_discovery"] = Kind.Boolean,
        ["mtls.enable_endpoint_aliases"] = Kind.Boolean,
    };

    private static readonly Dictionary<string, string[]> Choices = new(StringComparer.Ordinal)
    {
        ["session_cookie.mode"] = ["persistent", "non-persistent"],
        ["device_flow.charset"] = ["base20", "digits"],
    };

    /// <summary>Every top-level property a PATCH may send.</summary>
    public static IReadOnlyCollection<string> AllowedProperties { get; } = [.. Properties.Keys, FlagsProperty];

    /// <summary>Auth0's tenant flags (go-auth0's <c>TenantFlags</c>); this tenant acts on <c>enable_idtoken_api2</c> only.</summary>
    public static readonly IReadOnlySet<string> Auth0Flags = new HashSet<string>(StringComparer.Ordinal)
    {
        "enable_client_connections", "enable_apis_section", "disable_impersonation", "enable_pipeline2",
        "enable_dynamic_client_registration", "enable_custom_domain_in_emails", "enable_sso", "allow_changing_enable_sso",
        "universal_login", "enable_legacy_logs_search_v2", "disable_clickjack_protection_headers",
        "enable_public_signup_user_exists_error", "use_scope_descriptions_for_consent", "allow_legacy_delegation_grant_types",
        "allow_legacy_ro_grant_types", "allow_legacy_tokeninfo_endpoint", "enable_legacy_profile", "enable_idtoken_api2",
        "no_disclose_enterprise_connections", "disable_management_api_sms_obfuscation", "enable_adfs_waad_email_verification",
        "revoke_refresh_token_grant", "dashboard_log_streams_next", "dashboard_insights_view", "disable_fields_map_fix",
        "mfa_show_factor_list_on_enrollment", "require_pushed_authorization_requests", "remove_alg_from_jwks",
    };

    /// <summary>What a new Auth0 tenant answers for the session settings (72 h idle, 168 h absolute) and locales.</summary>
    public static JsonObject Defaults() => new()
    {
        ["enabled_locales"] = new JsonArray("en"),
        ["idle_session_lifetime"] = 72,
        ["session_lifetime"] = 168,
    };

    /// <summary>Checks a PATCH body: known properties of the right type; <paramref name="isFlag"/> decides which flag names exist.</summary>
    public static void Validate(JsonObject body, Func<string, bool> isFlag)
    {
        var unknown = body.Select(p => p.Key).Where(k => k != FlagsProperty && !Properties.ContainsKey(k)).ToList();
        if (unknown.Count > 0) throw ManagementErrors.InvalidBody($"'Additional properties not allowed: {string.Join(',', unknown)}'.");
        foreach (var (name, value) in body)
        {
            if (name == FlagsProperty) ValidateFlags(value, isFlag);
            else if (value is not null) Check(name, Properties[name], value);
        }
    }

    private static void ValidateFlags(JsonNode? flags, Func<string, bool> isFlag)
    {
        if (flags is not JsonObject values) throw ManagementBody.WrongType(FlagsProperty, "object", flags);
        foreach (var (name, value) in values)
        {
            if (!isFlag(name))
                throw ManagementErrors.InvalidBody($"'Additional properties not allowed: {name}' on property flags (Flags used to change the behavior of this tenant).");
            if (value is not null && value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                throw ManagementBody.WrongType($"flags.{name}", "boolean", value);
        }
    }

    private static void Check(string path, Kind kind, JsonNode value)
    {
        var valueKind = value.GetValueKind();
        var ok = kind switch
        {
            Kind.String => valueKind == JsonValueKind.String,
            Kind.Boolean => valueKind is JsonValueKind.True or JsonValueKind.False,
            Kind.Integer => valueKind == JsonValueKind.Number && value.AsValue().TryGetValue<long>(out _),
            Kind.StringArray => value is JsonArray array && array.All(i => i?.GetValueKind() == JsonValueKind.String),
            _ => value is JsonObject,
        };
        if (!ok) throw ManagementBody.WrongType(path, Expected(kind), value);
        if (Choices.TryGetValue(path, out var choices) && !choices.Contains(value.GetValue<string>()))
            throw ManagementErrors.InvalidBody($"'No enum match for: \"{value.GetValue<string>()}\"' on property {path}.");
        if (value is JsonObject children)
        {
            foreach (var (child, childValue) in children)
            {
                if (childValue is not null && Nested.TryGetValue($"{path}.{child}", out var childKind))
                    Check($"{path}.{child}", childKind, childValue);
            }
        }
    }

    private static string Expected(Kind kind) => kind switch
    {
        Kind.String => "string",
        Kind.Boolean => "boolean",
        Kind.Integer => "integer",
        Kind.StringArray => "array of strings",
        _ => "object",
    };
}
