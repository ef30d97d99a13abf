using LegacyLinking.Web.Linking;
using LegacyLinking.Web.MigrationTracking;

namespace LegacyLinking.Bench;

/// <summary>
/// Synthetic traffic in the proportions a migrating tenant sees: links, unlinks and suggestion lookups over every
/// flow, mostly successful, some refusals and tenant errors, log-normal latencies, shadow verdicts on legacy flows,
/// from a few thousand users. Deterministic for a given seed, so two runs seed the same data.
/// </summary>
public sealed class EventMix(int seed = 20261122, int users = 5_000)
{
    private static readonly (string Flow, int Weight)[] LinkFlows = [("AccessToken", 35), ("ServerToken", 15), ("LegacyIdToken", 35), ("LegacyAuthorize", 15)];
    private static readonly (string Flow, int Weight)[] UnlinkFlows = [("AccessToken", 35), ("ServerToken", 15), ("LegacyIdToken", 30), ("LegacyUnlinkEndpoint", 20)];
    private static readonly (string Reason, int Weight)[] Reasons = [("Percentile", 80), ("User", 5), ("Group", 5), ("DefaultWhenEnabled", 5), ("QaSession", 3), ("QaGlobal", 2)];
    private static readonly (string Code, int Weight)[] Refusals = [("not_suggested", 1), ("same_account", 1), ("stale_login", 1), ("primary_identity", 1)];
    private static readonly (int Status, string Code)[] Rejections = [(401, "invalid_token"), (403, "insufficient_scope"), (400, "invalid_body")];
    private static readonly (int Status, string Code)[] Errors = [(500, "server_error"), (429, "too_many_requests")];
    private static readonly string[] ShadowFailures = ["would-fail:scope", "would-fail:audience", "would-fail:no-access-token"];

    private readonly Random _random = new(seed);

    /// <summary><paramref name="count"/> events from <paramref name="from"/> over <paramref name="span"/>, in time order.</summary>
    public IEnumerable<FlowEvent> Spread(DateTime from, TimeSpan span, int count)
    {
        var step = span.Ticks / count;
        for (var i = 0; i < count; i++) yield return Next(from.AddTicks(i * step + _random.NextInt64(step)));
    }

    public FlowEvent Next(DateTime at)
    {
        var roll = _random.Next(100);
        var (operation, flow) = roll < 45 ? ("link", Pick(LinkFlows)) : roll < 60 ? ("unlink", Pick(UnlinkFlows)) : ("suggest", "UsersByEmail");
        var e = new FlowEvent
        {
            At = at,
            Operation = operation,
            Flow = flow,
            Reason = Pick(Reasons),
            Outcome = "ok",
            DurationMs = Math.Round(Math.Exp(Math.Log(40) + 0.8 * Gaussian()), 3),
            UserId = $"auth0|{_random.Next(users):x8}0000000000000000",
            TraceId = Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64())),
        };
        var outcome = _random.Next(100);
        if (outcome < 4) (e.Outcome, e.ErrorCode) = ("refused", Pick(Refusals));
        else if (outcome < 7) (e.Outcome, (e.Status, e.ErrorCode)) = ("rejected", Rejections[_random.Next(Rejections.Length)]);
        else if (outcome < 8) (e.Outcome, (e.Status, e.ErrorCode)) = ("error", Errors[_random.Next(Errors.Length)]);
        if (FlowCatalogue.IsLegacy(flow))
            e.Shadow = _random.Next(100) < 95 ? "would-succeed" : ShadowFailures[_random.Next(ShadowFailures.Length)];
        return e;
    }

    private string Pick((string Value, int Weight)[] choices)
    {
        var roll = _random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight) return value;
            roll -= weight;
        }
        return choices[^1].Value;
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
