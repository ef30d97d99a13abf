namespace LegacyLinking.Web.Flags;

/// <summary>What a flag says for the current user, and why (the reason is recorded with every link/unlink).</summary>
public sealed record FlagDecision(string Flag, bool Enabled, string? Variant, string Reason)
{
    /// <summary>The value QA sees and sets: the variant for variant flags, on/off for the others.</summary>
    public string Value => Variant ?? (Enabled ? OnOff.On : OnOff.Off);

    /// <summary><see cref="Reason"/> in words, for the person reading the console (the raw name stays for automation).</summary>
    public string ReasonInWords => FlagReasons.InWords(Reason);
}

public static partial class FlagReasons
{
    /// <summary>
    /// A reason (ours or Microsoft.FeatureManagement's <c>VariantAssignmentReason</c>) as the person it concerns reads it.
    /// A reason a later version of the library adds is shown as it comes rather than hidden.
    /// </summary>
    public static string InWords(string reason) => reason switch
    {
        QaSession => "Chosen for your session only by a QA override",
        QaGlobal => "Chosen for everyone by a QA override",
        User => "You are named in the flag's list of users",
        Group => "A group you belong to is named in the flag's list of groups",
        Percentile => "Your user falls in a percentile range of the flag's allocation (the same user always falls in the same range)",
        DefaultWhenEnabled => "The flag is on and no rule of its allocation picks you out: you get what it gives everyone while on",
        DefaultWhenDisabled => "The flag is off: you get what it gives everyone while off",
        _ => $"The flag library gave the reason \"{reason}\"",
    };
}
