using System.Net;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace LegacyLinking.Web.Auth0;

/// <summary>
/// One circuit breaker for every call to the tenant (Management API, Authentication API, and the sign-in's own back
/// channel), so a dead tenant fails fast for every page and every user: once half of at least
/// <see cref="MinimumThroughput"/> calls within <see cref="SamplingDuration"/> failed (no answer in time, no connection,
/// a 5xx), calls fail at once for <c>Auth0:Http:CircuitBreakSeconds</c>; then one call probes, and closes the circuit
/// when it is answered. A refusal (4xx, 429) is an answer, not a failure.
/// </summary>
public sealed class TenantCircuit
{
    public const int MinimumThroughput = 4;
    public const double FailureRatio = 0.5;
    public static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(30);

    private readonly CircuitBreakerStateProvider _state = new();

    public TenantCircuit(IOptions<Auth0HttpOptions> options, ILogger<TenantCircuit> logger)
    {
        var breakFor = TimeSpan.FromSeconds(options.Value.CircuitBreakSeconds);
        Pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = FailureRatio,
                MinimumThroughput = MinimumThroughput,
                SamplingDuration = SamplingDuration,
                BreakDuration = breakFor,
                StateProvider = _state,
                ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
                OnOpened = args =>
                {
                    logger.LogWarning("The tenant is failing ({Failure}): calls to it fail at once for {Break} s, then one probes.",
                        Describe(args.Outcome), breakFor.TotalSeconds);
                    return default;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("The tenant answers again: calls to it go through.");
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Added to each tenant client's pipeline, inside its retries and around each attempt.</summary>
    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>Open or held open: calls fail at once.</summary>
    public bool IsOpen => _state.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>No answer in time, no connection, or a server error. Not the caller giving up (a closed browser tab).</summary>
    public static bool IsFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is TimeoutRejectedException or HttpRequestException
        || outcome.Result is { } response && (int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.NotImplemented;

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } e ? e.GetType().Name : $"HTTP {(int?)outcome.Result?.StatusCode}";
}
