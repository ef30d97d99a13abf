namespace LegacyLinking.LocalTenant.Logs;

/// <summary>
/// One tenant log event, stored in Auth0's shape (<c>GET /api/v2/logs</c>). Never holds a token, a secret or a request
/// body: <see cref="Details"/> is written only by <see cref="TenantLog"/> from fields chosen by its callers.
/// </summary>
public sealed class TenantLogEvent
{
    /// <summary>Insertion order; the public <c>log_id</c> is derived from it so checkpoint paging can compare ids.</summary>
    public long Id { get; set; }
    public DateTimeOffset Date { get; set; }

    /// <summary>Auth0's event type code (<see cref="LogTypes"/>).</summary>
    public string Type { get; set; } = "";
    public string? Description { get; set; }
    public string? ClientId { get; set; }
    public string? ClientName { get; set; }
    public string? UserId { get; set; }
    public string? UserName { get; set; }
    public string? Connection { get; set; }

    /// <summary>The caller's address (Auth0: the end user's, or the machine's for machine-to-machine calls).</summary>
    public string? Ip { get; set; }

    /// <summary>The caller's <c>User-Agent</c>, as sent (Auth0 shows a parsed form such as "Chrome 120.0.0 / Mac OS X 10.15.7").</summary>
    public string? UserAgent { get; set; }

    /// <summary>The host name the request was addressed to.</summary>
    public string? Hostname { get; set; }

    /// <summary>JSON object text, or null.</summary>
    public string? Details { get; set; }
}
