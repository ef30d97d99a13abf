using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LegacyLinking.Web.Profile;

/// <summary>One labelled value of the page ("Color: red"), metadata and identity details alike.</summary>
public sealed record LabelledValue(string Label, string Value);

/// <summary>
/// A linked account as its owner recognises it: the sign-in method's name, then the email, masked phone or name the
/// account carries. <see cref="Details"/> (connection, user id, the provider's profile data) sit behind a toggle.
/// </summary>
public sealed record AccountView(
    string Provider, string UserId, ProviderLabel Method, string Account, bool IsPrimary, IReadOnlyList<LabelledValue> Details)
{
    /// <summary>What the unlink button says to a screen reader: which account, not only "Unlink".</summary>
    public string Describe => $"{Method.Name} account {Account}";
}

/// <summary>
/// What the profile page shows of <see cref="UserProfile"/>, worded for the person who owns the account: no raw ids
/// or JSON on the face of the page (they stay behind "details"), phone numbers masked, metadata as labelled values.
/// </summary>
public sealed partial record ProfileView(
    string DisplayName,
    string? Initials,
    string? Email,
    bool EmailVerified,
    IReadOnlyList<AccountView> Accounts,
    IReadOnlyList<LabelledValue> Preferences,
    IReadOnlyList<LabelledValue> AccessSettings)
{
    /// <summary>The tenant refuses a link to a primary whose email is not verified (a user without an email may link).</summary>
    public bool NeedsVerifiedEmail => Email is not null && !EmailVerified;

    public static ProfileView Of(UserProfile profile)
    {
        var ownName = Phone(profile.Name) ? null : profile.Name;
        var displayName = ownName ?? NonPhone(profile.Nickname);
        var phone = Phone(profile.Name) ? profile.Name : Phone(profile.Nickname) ? profile.Nickname : null;
        var primaryAccount = profile.Email ?? (phone is null ? displayName : MaskPhone(phone)) ?? "your account";
        return new ProfileView(
            displayName ?? primaryAccount,
            InitialsOf(displayName ?? profile.Email),
            profile.Email,
            profile.EmailVerified,
            profile.Identities.Select(i => Account(i, primaryAccount)).ToList(),
            Labelled(profile.UserMetadataJson),
            Labelled(profile.AppMetadataJson));
    }

    private static AccountView Account(ProfileIdentity identity, string primaryAccount)
    {
        string? Data(string key) => identity.ProfileData.FirstOrDefault(p => p.Key == key).Value;
        var account = identity.IsPrimary
            ? primaryAccount
            : Data("email") ?? (Data("phone_number") is { } phone ? MaskPhone(phone) : null) ?? NonPhone(Data("name")) ?? NonPhone(Data("nickname"))
              ?? (Data("name") is { } named ? MaskPhone(named) : "an account");
        List<LabelledValue> details =
        [
            new("Connection", identity.Connection ?? identity.Provider),
            new("User id", identity.Sub),
            .. identity.ProfileData.Select(p => new LabelledValue(Label(p.Key), Shown(p.Value))),
        ];
        return new AccountView(identity.Provider, identity.UserId, Providers.Of(identity.Connection, identity.Provider), account, identity.IsPrimary, details);
    }

    /// <summary>
    /// "+14258831929" → "phone number ending in 1929": enough for its owner to know it, read well by a screen reader
    /// (masking characters are read out one by one), and no full number on a page that may be on a shared screen.
    /// </summary>
    public static string MaskPhone(string phone)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return digits.Length < 4 ? "phone number" : $"phone number ending in {digits[^4..]}";
    }

    /// <summary>A profile value as the page shows it: a phone number (also as a name) masked, booleans as yes/no.</summary>
    private static string Shown(string value) => value switch
    {
        "true" => "yes",
        "false" => "no",
        _ when Phone(value) => MaskPhone(value),
        _ => value,
    };

    private static bool Phone(string? text) => text is not null && PhonePattern().IsMatch(text);

    private static string? NonPhone(string? text) => Phone(text) ? null : text;

    /// <summary>Up to two letters of the name; none (the page draws a silhouette) when the name holds no letter.</summary>
    private static string? InitialsOf(string? name)
    {
        if (name is null) return null;
        var letters = name.Split([' ', '.', '@'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.FirstOrDefault(char.IsLetter)).Where(c => c != default).Take(2).Select(char.ToUpperInvariant).ToArray();
        return letters.Length == 0 ? null : new string(letters);
    }

    /// <summary>Each top-level property of a metadata object as a labelled value; nested values in a short readable form.</summary>
    public static IReadOnlyList<LabelledValue> Labelled(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return [];
        }
        return node is JsonObject properties
            ? properties.Select(p => new LabelledValue(Label(p.Key), Readable(p.Value))).ToList()
            : [];
    }

    private static string Readable(JsonNode? value) => value switch
    {
        null => "none",
        JsonArray items when items.All(i => i is JsonValue) => items.Count == 0 ? "none" : string.Join(", ", items.Select(Readable)),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "yes",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "no",
        _ => value.ToJsonString(),
    };

    /// <summary>"favorite_color" → "Favorite color", "email_verified" → "Email verified".</summary>
    public static string Label(string key)
    {
        var words = key.Replace('_', ' ').Replace('-', ' ').Trim();
        return words.Length == 0 ? key : char.ToUpper(words[0], CultureInfo.InvariantCulture) + words[1..];
    }

    [GeneratedRegex(@"^\+?[0-9][0-9 ().-]{5,}$", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
