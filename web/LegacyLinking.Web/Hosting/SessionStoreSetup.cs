using LegacyLinking.Web.Authentication;
using Microsoft.Extensions.Caching.Distributed;

namespace LegacyLinking.Web.Hosting;

public static class SessionStoreSetup
{
    /// <summary>
    /// Where sign-in tickets, session state, "sessions valid after" times and the profile cache's change marks live:
    /// memory by default (one instance, gone at restart), or the app's database with <c>Sessions:Store=Database</c>
    /// (they survive a restart; instances on one PostgreSQL database share them). Its own step, not part of sign-in:
    /// the linking services use it too, also where the app is composed without sign-in (the recording benchmark).
    /// </summary>
    public static IHostApplicationBuilder AddSessionStore(this IHostApplicationBuilder builder)
    {
        var sessions = builder.AddSettings<SessionsOptions>(SessionsOptions.Section);
        if (sessions.Store == SessionStore.Database)
            builder.Services.AddSingleton<IDistributedCache, Data.DatabaseCache>();
        else
            builder.Services.AddDistributedMemoryCache();
        return builder;
    }
}
