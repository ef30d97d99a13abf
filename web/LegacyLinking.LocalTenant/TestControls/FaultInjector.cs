using System.Text.Json;
using System.Text.RegularExpressions;

namespace LegacyLinking.LocalTenant.TestControls;

/// <summary>The body of <c>POST /test/faults</c>.</summary>
public sealed record FaultRequest(string? Route, int? Status, int? LatencyMs, int? Count, JsonElement? Body, int? RetryAfter);

/// <summary>An armed fault as <c>GET /test/faults</c> lists it.</summary>
public sealed record FaultView(
    int Id, string Route, int? Status, int LatencyMs, int Count, int Remaining, JsonElement? Body, int? RetryAfter);

/// <summary>
/// Faults armed by the test-control routes: a route pattern (<c>"POST /api/v2/users/*/identities"</c>, method optional,
/// <c>*</c> one path segment, <c>**</c> any rest) answered <c>count</c> times with a delay and/or an error status.
/// </summary>
public sealed class FaultInjector
{
    public const int MaxLatencyMs = 120_000;
    public const int DefaultStatus = 503;

    private static readonly HashSet<string> Methods = new(StringComparer.OrdinalIgnoreCase)
        { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" };

    private readonly Lock _gate = new();
    private readonly List<ArmedFault> _faults = [];
    private int _nextId;

    /// <summary>Arms a fault; returns why the request is not usable instead when it is not.</summary>
    public string? TryAdd(FaultRequest request, out FaultView? view)
    {
        view = null;
        if (string.IsNullOrWhiteSpace(request.Route)) return "route is required, e.g. \"POST /api/v2/users/*/identities\".";
        var parts = request.Route.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var method = parts.Length == 2 ? parts[0].ToUpperInvariant() : null;
        var path = parts[^1];
        if (method is not null && !Methods.Contains(method)) return $"unknown method '{parts[0]}' in route.";
        if (!path.StartsWith('/')) return "the route's path must start with '/'.";
        if (request.Status is { } s && (s < 400 || s > 599)) return "status must be a 4xx or 5xx code.";
        if (request.LatencyMs is { } l && (l < 0 || l > MaxLatencyMs)) return $"latencyMs must be from 0 to {MaxLatencyMs}.";
        if (request.Count is < 1) return "count must be at least 1.";
        if (request.RetryAfter is < 0) return "retryAfter must not be negative.";

        // Only a delay was asked for: the request then goes on as usual. Otherwise it fails, with 503 unless told.
        var status = request.Status ?? (request.LatencyMs is > 0 ? null : DefaultStatus);
        var pattern = new Regex(
            "^" + Regex.Escape(path).Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*") + "/?$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        lock (_gate)
        {
            var fault = new ArmedFault(++_nextId, method, pattern, request.Route.Trim(), status, request.LatencyMs ?? 0,
                request.Count ?? 1, request.Body?.Clone(), request.RetryAfter);
            _faults.Add(fault);
            view = fault.View();
        }
        return null;
    }

    /// <summary>The first armed fault matching the request, counted as used; null when none matches.</summary>
    public FaultView? TryTake(string method, string path)
    {
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(f =>
                (f.Method is null || f.Method.Equals(method, StringComparison.OrdinalIgnoreCase)) && f.Pattern.IsMatch(path));
            if (fault is null) return null;
            fault.Remaining--;
            if (fault.Remaining == 0) _faults.Remove(fault);
            return fault.View();
        }
    }

    public IReadOnlyList<FaultView> List()
    {
        lock (_gate) return [.. _faults.Select(f => f.View())];
    }

    public void Clear()
    {
        lock (_gate) _faults.Clear();
    }

    private sealed class ArmedFault(
        int id, string? method, Regex pattern, string route, int? status, int latencyMs, int count, JsonElement? body, int? retryAfter)
    {
        public string? Method { get; } = method;
        public Regex Pattern { get; } = pattern;
        public int Remaining { get; set; } = count;

        public FaultView View() => new(id, route, status, latencyMs, Count, Remaining, body, retryAfter);

        private int Count { get; } = count;
    }
}
