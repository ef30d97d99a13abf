namespace LegacyLinking.LocalTenant.TestControls;

/// <summary>A queued mutation as <c>GET /test/next</c> lists it.</summary>
public sealed record MutationView(string Mutation, int Remaining);

/// <summary>
/// Mutations queued by <c>POST /test/next</c>: each authorization_code response from <c>/oauth/token</c> takes the
/// first one and has its ID token changed by it, <c>count</c> times.
/// </summary>
public sealed class IdTokenMutations
{
    private readonly Lock _gate = new();
    private readonly List<(string Name, int Remaining)> _queue = [];

    public bool IsEmpty
    {
        get { lock (_gate) return _queue.Count == 0; }
    }

    public void Enqueue(string mutation, int count)
    {
        lock (_gate) _queue.Add((mutation, count));
    }

    /// <summary>The next mutation to apply, counted as used; null when none is queued.</summary>
    public string? TryTake()
    {
        lock (_gate)
        {
            if (_queue.Count == 0) return null;
            var (name, remaining) = _queue[0];
            if (remaining <= 1) _queue.RemoveAt(0);
            else _queue[0] = (name, remaining - 1);
            return name;
        }
    }

    public IReadOnlyList<MutationView> List()
    {
        lock (_gate) return [.. _queue.Select(m => new MutationView(m.Name, m.Remaining))];
    }

    public void Clear()
    {
        lock (_gate) _queue.Clear();
    }
}
