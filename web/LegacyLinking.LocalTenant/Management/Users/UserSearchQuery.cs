namespace LegacyLinking.LocalTenant.Management.Users;

/// <summary>
/// The part of Auth0's Lucene user search this tenant supports, parsed by hand and never evaluated:
/// <c>email:"…"</c>, <c>email_verified:true|false</c> and <c>-user_id:"…"</c>, joined by spaces or <c>AND</c>, e.g. the
/// link sample's <c>email:"a@b.c" AND email_verified:true -user_id:"auth0|1"</c>. Anything else (other fields,
/// wildcards outside quotes, parentheses, OR, escapes, unbalanced quotes) is rejected.
/// </summary>
public sealed record UserSearchQuery(string? Email, bool? EmailVerified, IReadOnlyList<string> ExcludedUserIds)
{
    public const int MaxLength = 1024;
    public static readonly UserSearchQuery All = new(null, null, []);

    private const string Supported =
        "q supports only email:\"…\", email_verified:true|false and -user_id:\"…\", joined by spaces or AND";

    public static UserSearchQuery Parse(string? q)
    {
        if (string.IsNullOrWhiteSpace(q)) return All;
        if (q.Length > MaxLength) throw Invalid($"q is longer than {MaxLength} characters");

        string? email = null;
        bool? verified = null;
        var excluded = new List<string>();
        var position = 0;
        var expectClause = true;
        while (true)
        {
            var hadSpace = SkipSpaces(q, ref position);
            if (position == q.Length) break;
            if (!expectClause && !hadSpace) throw Unexpected(position);

            if (!expectClause && Take(q, ref position, "AND"))
            {
                if (!SkipSpaces(q, ref position) || position == q.Length) throw Unexpected(position);
            }

            if (Take(q, ref position, "email:"))
            {
                if (email is not null) throw Invalid("email may appear once");
                email = Quoted(q, ref position);
            }
            else if (Take(q, ref position, "email_verified:"))
            {
                if (verified is not null) throw Invalid("email_verified may appear once");
                verified = Take(q, ref position, "true") ? true : Take(q, ref position, "false") ? false : throw Unexpected(position);
            }
            else if (Take(q, ref position, "-user_id:"))
            {
                excluded.Add(Quoted(q, ref position));
            }
            else
            {
                throw Unexpected(position);
            }
            expectClause = false;
        }
        return expectClause ? All : new UserSearchQuery(email?.ToLowerInvariant(), verified, excluded);
    }

    /// <summary>A double-quoted value with no quote or backslash inside (no escapes to interpret).</summary>
    private static string Quoted(string q, ref int position)
    {
        if (position >= q.Length || q[position] != '"') throw Unexpected(position);
        var end = q.IndexOf('"', position + 1);
        if (end < 0) throw Invalid("a quoted value is not closed");
        var value = q[(position + 1)..end];
        if (value.Length == 0 || value.Contains('\\')) throw Unexpected(position + 1);
        position = end + 1;
        return value;
    }

    private static bool SkipSpaces(string q, ref int position)
    {
        var start = position;
        while (position < q.Length && q[position] == ' ') position++;
        return position > start;
    }

    private static bool Take(string q, ref int position, string literal)
    {
        if (string.CompareOrdinal(q, position, literal, 0, literal.Length) != 0) return false;
        position += literal.Length;
        return true;
    }

    private static ManagementApiException Unexpected(int position) =>
        Invalid($"{Supported}; unexpected input at position {position}");

    private static ManagementApiException Invalid(string reason) =>
        ManagementErrors.InvalidQuery($"'{reason}' on property q.");
}
