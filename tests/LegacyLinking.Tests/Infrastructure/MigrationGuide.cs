using System.Text.RegularExpressions;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>
/// The messages <c>docs/migration.md</c> tells support a user sees when a tenant flag is off (section 10, quoted in
/// backticks, <c>…</c> standing for the tenant's own text): tests hold every real message against them, so the guide
/// cannot drift from what the profile page says.
/// </summary>
public static partial class MigrationGuide
{
    private static readonly Lazy<IReadOnlyList<Regex>> Messages = new(Read);

    /// <summary>True when one of the guide's quoted messages is exactly <paramref name="status"/>.</summary>
    public static bool Quotes(string? status) => status is not null && Messages.Value.Any(m => m.IsMatch(status));

    public static string Describe() => string.Join(Environment.NewLine, Messages.Value);

    private static IReadOnlyList<Regex> Read()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFolder.Root(), "docs", "migration.md"));
        var start = text.IndexOf("## 10. What end users and support see", StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException("docs/migration.md has no section '10. What end users and support see'.");
        var section = text[start..];
        var messages = Quoted().Matches(section).Select(m => m.Groups[1].Value).Where(m => m.StartsWith("Error:", StringComparison.Ordinal))
            .Select(m => new Regex("^" + Regex.Escape(m).Replace("…", ".*", StringComparison.Ordinal) + "$"))
            .ToList();
        return messages.Count > 0 ? messages : throw new InvalidOperationException("docs/migration.md quotes no message in section 10.");
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Quoted();
}
