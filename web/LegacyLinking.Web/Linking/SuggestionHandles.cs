using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace LegacyLinking.Web.Linking;

/// <summary>A suggested account as the profile page offers it: a handle, the connection, the masked email — no user id.</summary>
public sealed record SuggestionOffer(string Handle, string Connection, string MaskedEmail);

/// <summary>
/// The names the profile page gives suggested accounts: a random handle per candidate, remembered in this browser's
/// session state, so neither the page's HTML nor its forms and test hooks carry a candidate's <c>user_id</c> (it tells
/// whoever reads the page which other accounts share the email). A handle means nothing in another browser, and a
/// link posted with one that this session did not hand out is refused like any account that was never suggested.
/// </summary>
public static class SuggestionHandles
{
    private const string Key = "suggestion-handles";

    /// <summary>Handles this session remembers (a profile shows a handful; older ones are forgotten first).</summary>
    private const int Keep = 50;

    /// <summary>The suggestions as offers; a candidate this session was already offered keeps its handle.</summary>
    public static IReadOnlyList<SuggestionOffer> Offer(ISession session, IReadOnlyList<Suggestion> suggestions)
    {
        if (suggestions.Count == 0) return [];
        var known = Read(session);
        var offers = new List<SuggestionOffer>();
        foreach (var suggestion in suggestions)
        {
            var handle = known.FirstOrDefault(k => k.UserId == suggestion.UserId)?.Handle;
            if (handle is null)
            {
                handle = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(9));
                known.Add(new Named(handle, suggestion.UserId));
            }
            offers.Add(new SuggestionOffer(handle, suggestion.Connection, suggestion.MaskedEmail));
        }
        session.SetString(Key, JsonSerializer.Serialize(known.TakeLast(Keep)));
        return offers;
    }

    /// <summary>The candidate this session handed <paramref name="handle"/> out for; null for any other text.</summary>
    public static string? Resolve(ISession session, string? handle) =>
        string.IsNullOrEmpty(handle) ? null : Read(session).FirstOrDefault(k => k.Handle == handle)?.UserId;

    private sealed record Named(string Handle, string UserId);

    private static List<Named> Read(ISession session) =>
        session.GetString(Key) is { } json ? JsonSerializer.Deserialize<List<Named>>(json) ?? [] : [];
}
