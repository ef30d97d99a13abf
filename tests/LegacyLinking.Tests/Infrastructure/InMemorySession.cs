using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Session;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Tests.Infrastructure;

/// <summary>ASP.NET Core's own distributed session over an in-memory cache: a real session for code given one directly.</summary>
public static class InMemorySession
{
    public static ISession Create() =>
        new DistributedSession(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())), "session-under-test",
            TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(5), () => true, NullLoggerFactory.Instance, isNewSessionKey: true);
}
