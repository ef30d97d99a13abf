using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Microsoft.EntityFrameworkCore;

using LegacyLinking.LocalTenant.Logs;

namespace LegacyLinking.LocalTenant.Management;

/// <summary>
/// Auth0's log search <c>q</c> (a subset of Lucene, "Log Search Query Syntax"), parsed by hand into a filter the
/// database evaluates; nothing in it is ever spliced into SQL. Supported: <c>field:value</c> on Auth0's searchable
/// fields (case-sensitive, whole-value: fields are not tokenized), <c>"exact phrases"</c>, <c>*</c> wildcards
/// (a leading one needs 3 literal characters), bare terms (matched against Auth0's bare-term fields), date values and
/// ranges (<c>date:[2018-12-10 TO *]</c>, <c>{…}</c> exclusive), <c>AND</c>, <c>OR</c>, <c>NOT</c>/<c>-</c> and
/// parentheses. Anything else — an unknown field, <c>?</c>, escapes, terms side by side without an operator — is a 400
/// rather than a guess.
/// </summary>
public sealed class LogSearchQuery
{
    public const int MaxLength = 1024;

    private static readonly ParameterExpression Event = Expression.Parameter(typeof(TenantLogEvent), "e");

    private static readonly MethodInfo GlobMethod = typeof(SqliteDbFunctionsExtensions)
        .GetMethod(nameof(SqliteDbFunctionsExtensions.Glob), [typeof(DbFunctions), typeof(string), typeof(string)])!;

    /// <summary>Auth0's searchable fields this tenant stores, by name.</summary>
    private static readonly Dictionary<string, string> StoredFields = new()
    {
        ["client_id"] = nameof(TenantLogEvent.ClientId),
        ["client_name"] = nameof(TenantLogEvent.ClientName),
        ["connection"] = nameof(TenantLogEvent.Connection),
        ["description"] = nameof(TenantLogEvent.Description),
        ["hostname"] = nameof(TenantLogEvent.Hostname),
        ["ip"] = nameof(TenantLogEvent.Ip),
        ["type"] = nameof(TenantLogEvent.Type),
        ["user_id"] = nameof(TenantLogEvent.UserId),
        ["user_name"] = nameof(TenantLogEvent.UserName),
        ["user_agent"] = nameof(TenantLogEvent.UserAgent),
    };

    /// <summary>Searchable on Auth0 but never carried by this tenant's events: a term on them matches nothing.</summary>
    private static readonly HashSet<string> AbsentFields = ["connection_id", "organization_id", "strategy", "strategy_type"];

    /// <summary>The fields a term without a field name is matched against.</summary>
    private static readonly string[] BareTermFields = ["client_name", "connection", "description", "ip", "log_id", "type", "user_name"];

    private readonly string _q;
    private int _position;

    private LogSearchQuery(string q) => _q = q;

    /// <summary>The filter for <paramref name="q"/>; null when there is no query (every event).</summary>
    public static Expression<Func<TenantLogEvent, bool>>? Parse(string? q)
    {
        if (string.IsNullOrWhiteSpace(q)) return null;
        if (q.Length > MaxLength) throw Invalid($"q is longer than {MaxLength} characters");
        var parser = new LogSearchQuery(q);
        var body = parser.ParseOr();
        parser.SkipSpaces();
        if (parser._position < q.Length) throw parser.Unexpected();
        return Expression.Lambda<Func<TenantLogEvent, bool>>(body, Event);
    }

    private Expression ParseOr()
    {
        var left = ParseAnd();
        while (TakeWord("OR")) left = Expression.OrElse(left, ParseAnd());
        return left;
    }

    private Expression ParseAnd()
    {
        var left = ParseUnary();
        while (true)
        {
            if (TakeWord("AND")) left = Expression.AndAlso(left, ParseUnary());
            else if (TakeWord("NOT")) left = Expression.AndAlso(left, Expression.Not(ParseUnary()));
            else if (AtEnd() || Peek() == ')' || PeekWord("OR")) return left;
            else throw Invalid($"join terms with AND or OR (at position {_position})");
        }
    }

    private Expression ParseUnary()
    {
        if (TakeWord("NOT")) return Expression.Not(ParseUnary());
        SkipSpaces();
        if (Peek() == '-')
        {
            _position++;
            return Expression.Not(ParseUnary());
        }
        return ParsePrimary();
    }

    private Expression ParsePrimary()
    {
        SkipSpaces();
        if (Peek() == '(')
        {
            _position++;
            var inner = ParseOr();
            SkipSpaces();
            if (Peek() != ')') throw Invalid("a parenthesis is not closed");
            _position++;
            return inner;
        }
        return ParseTerm();
    }

    private Expression ParseTerm()
    {
        var start = _position;
        var word = ReadFieldName();
        if (word is not null && Peek() == ':')
        {
            _position++;
            return FieldTerm(word, start);
        }
        _position = start;
        var (value, quoted) = ReadValue();
        if (!quoted && value.IndexOf(':') is > 0 and var colon)
            throw Invalid($"{value[..colon]} is not a searchable field (at position {start})");
        return BareFields(value, quoted);
    }

    private Expression FieldTerm(string field, int start)
    {
        if (field == "date")
        {
            if (Peek() is '[' or '{') return DateRange();
            var (text, _) = ReadValue();
            return DatePeriod(text);
        }
        if (field == "log_id")
        {
            var (id, _) = ReadValue();
            return LogIdEquals(id);
        }
        if (AbsentFields.Contains(field))
        {
            ReadValue();
            return Expression.Constant(false);
        }
        if (!StoredFields.TryGetValue(field, out var property))
            throw Invalid($"{field} is not a searchable field (at position {start})");
        var (value, quoted) = ReadValue();
        return Matches(property, value, quoted);
    }

    private Expression BareFields(string value, bool quoted)
    {
        Expression? any = null;
        foreach (var field in BareTermFields)
        {
            var term = field == "log_id" ? LogIdEquals(value, tolerant: true) : Matches(StoredFields[field], value, quoted);
            any = any is null ? term : Expression.OrElse(any, term);
        }
        return any!;
    }

    /// <summary>Whole-value match, case-sensitive; with <c>*</c> (outside quotes) a GLOB, whose other specials are escaped.</summary>
    private static Expression Matches(string property, string value, bool quoted)
    {
        var field = Expression.Property(Event, property);
        if (quoted || !value.Contains('*')) return Expression.Equal(field, Expression.Constant(value, typeof(string)));
        if (value == "*") return Expression.NotEqual(field, Expression.Constant(null, typeof(string)));
        if (value.StartsWith('*') && value.Trim('*').Length < 3)
            throw Invalid($"a wildcard that does not end the term needs at least 3 literal characters: {value}");
        var pattern = new StringBuilder();
        foreach (var c in value) pattern.Append(c switch { '[' => "[[]", '?' => "[?]", _ => c.ToString() });
        return Expression.AndAlso(
            Expression.NotEqual(field, Expression.Constant(null, typeof(string))),
            Expression.Call(GlobMethod, Expression.Constant(EF.Functions), field, Expression.Constant(pattern.ToString())));
    }

    private static Expression LogIdEquals(string value, bool tolerant = false)
    {
        if (LogIds.TryParse(value, out var id))
            return Expression.Equal(Expression.Property(Event, nameof(TenantLogEvent.Id)), Expression.Constant(id));
        if (!tolerant && value.Contains('*')) throw Invalid("log_id supports exact values only");
        return Expression.Constant(false);
    }

    private Expression DatePeriod(string text)
    {
        var (from, until) = Period(text);
        return Between(from, until);
    }

    /// <summary><c>[a TO b]</c> inclusive, <c>{a TO b}</c> exclusive, mixable; <c>*</c> is open. Partial dates cover their whole period.</summary>
    private Expression DateRange()
    {
        var inclusiveFrom = _q[_position++] == '[';
        var lower = ReadRangeBound();
        if (!TakeWord("TO")) throw Invalid("a range is written [from TO to]");
        var upper = ReadRangeBound();
        var closer = Peek();
        if (closer is not (']' or '}')) throw Invalid("a range is not closed with ] or }");
        _position++;

        DateTimeOffset? from = lower == "*" ? null : inclusiveFrom ? Period(lower).From : Period(lower).Until;
        DateTimeOffset? until = upper == "*" ? null : closer == ']' ? Period(upper).Until : Period(upper).From;
        return Between(from, until);
    }

    private static Expression Between(DateTimeOffset? from, DateTimeOffset? until)
    {
        var date = Expression.Property(Event, nameof(TenantLogEvent.Date));
        Expression result = Expression.Constant(true);
        if (from is { } f) result = Expression.AndAlso(result, Expression.GreaterThanOrEqual(date, Expression.Constant(f)));
        if (until is { } u) result = Expression.AndAlso(result, Expression.LessThan(date, Expression.Constant(u)));
        return result;
    }

    private static readonly (string Format, Func<DateTimeOffset, DateTimeOffset> Next)[] DateFormats =
    [
        ("yyyy", d => d.AddYears(1)),
        ("yyyy-MM", d => d.AddMonths(1)),
        ("yyyy-MM-dd", d => d.AddDays(1)),
        ("yyyy-MM-dd'T'HH:mm", d => d.AddMinutes(1)),
        ("yyyy-MM-dd'T'HH:mm:ss", d => d.AddSeconds(1)),
        ("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", d => d.AddTicks(1)),
    ];

    /// <summary>The UTC period a date value names: a year, month, day, minute, second or instant.</summary>
    private static (DateTimeOffset From, DateTimeOffset Until) Period(string text)
    {
        var value = text.EndsWith('Z') ? text[..^1] : text;
        foreach (var (format, next) in DateFormats)
        {
            if (DateTime.TryParseExact(value, format, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                var from = new DateTimeOffset(parsed, TimeSpan.Zero);
                return (from, next(from));
            }
        }
        throw Invalid($"'{text}' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:mm:ss)");
    }

    private string ReadRangeBound()
    {
        SkipSpaces();
        var start = _position;
        while (!AtEnd() && !char.IsWhiteSpace(Peek()) && Peek() is not (']' or '}')) _position++;
        if (_position == start) throw Unexpected();
        return _q[start.._position];
    }

    /// <summary>A field name directly followed by ':' (or null when the input is not a name).</summary>
    private string? ReadFieldName()
    {
        SkipSpaces();
        var start = _position;
        while (!AtEnd() && (char.IsAsciiLetterLower(Peek()) || Peek() == '_')) _position++;
        return _position > start ? _q[start.._position] : null;
    }

    /// <summary>A quoted phrase (no escapes inside) or a bare word running to a space or parenthesis.</summary>
    private (string Value, bool Quoted) ReadValue()
    {
        if (Peek() == '"')
        {
            var end = _q.IndexOf('"', _position + 1);
            if (end < 0) throw Invalid("a quoted value is not closed");
            var phrase = _q[(_position + 1)..end];
            if (phrase.Length == 0 || phrase.Contains('\\')) throw Unexpected();
            _position = end + 1;
            return (phrase, true);
        }
        var start = _position;
        while (!AtEnd() && !char.IsWhiteSpace(Peek()) && Peek() is not ('(' or ')' or '"')) _position++;
        var word = _q[start.._position];
        if (word.Length == 0) throw Unexpected();
        if (word.Contains('\\')) throw Invalid("escapes are not supported; quote the value instead");
        if (word.Contains('?')) throw Invalid("the ? wildcard is not supported");
        if (word is "AND" or "OR" or "NOT") throw Unexpected();
        return (word, false);
    }

    private bool TakeWord(string word)
    {
        SkipSpaces();
        if (!PeekWord(word)) return false;
        _position += word.Length;
        return true;
    }

    private bool PeekWord(string word)
    {
        SkipSpaces();
        var end = _position + word.Length;
        return string.CompareOrdinal(_q, _position, word, 0, word.Length) == 0
            && (end == _q.Length || char.IsWhiteSpace(_q[end]) || _q[end] is '(' or '-');
    }

    private void SkipSpaces()
    {
        while (!AtEnd() && char.IsWhiteSpace(_q[_position])) _position++;
    }

    private bool AtEnd() => _position >= _q.Length;

    private char Peek() => AtEnd() ? '\0' : _q[_position];

    private ManagementApiException Unexpected() => Invalid($"unexpected input at position {_position}");

    private static ManagementApiException Invalid(string reason) => ManagementErrors.InvalidQuery($"'{reason}' on property q.");
}
