namespace LegacyLinking.LocalTenant.Data;

/// <summary>An email the tenant "sent". A local tenant has no mail server: the dashboard and <c>/test/emails</c> show it.</summary>
public sealed class OutboxEmail
{
    public long Id { get; set; }
    public DateTimeOffset SentAt { get; set; }
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Text { get; set; } = "";

    /// <summary>The link the email asks the reader to open (a reset link carries its ticket), if any.</summary>
    public string? Link { get; set; }
}
