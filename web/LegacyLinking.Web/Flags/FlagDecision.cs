namespace LegacyLinking.Web.Flags;

/// <summary>What a flag says for the current user, and why (the reason is recorded with every link/unlink).</summary>
public sealed record FlagDecision(string Flag, bool Enabled, string? Variant, string Reason)
{
    /// <summary>The value QA sees and sets: the variant for variant flags, on/off for the others.</summary>
    public string Value => Variant ?? (Enabled ? OnOff.On : OnOff.Off);
}
