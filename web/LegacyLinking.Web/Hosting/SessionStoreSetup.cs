using LegacyLinking.Web.Authentication;
using Microsoft.Extensions.Caching.Distributed;

namespace LegacyLinking.Web.Hosting;

public static class SessionStoreSetup
{
    /// <summary>
    /// Where sign-in tickets, session state (and its cookie), "sessions valid after" times and the profile cache's
    /// change marks live: memory by default (one instance, gone at restart), or the app's database with <c>Sessions:Store=Database</c>
    /// (they survive a restart; instances on one PostgreSQL database share them). Its own step, not part of sign-in:
    /// the linking services use it too, also where the app is composed without sign-in (the recording benchmark).
    /// </summary>
    public static IHostApplicationBuilder AddSessionStore(this IHostApplicationBuilder builder)
    {
        var sessions = builder.AddSettings<SessionsOptions>(SessionsOptions.Section);
        builder.AddDatabaseNotifications();
        // Session state (QA's per-session overrides, recent attempts, pending link attempts) lives in the store below;
        // the state owner middleware binds it to the signed-in user.
        builder.Services.AddSession(options =>
        {
            options.Cookie.Name = AppCookies.SessionState;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            // Secure over HTTPS (the session middleware's default never marks it Secure); plain-http loopback dev keeps it.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.IsEssential = true;
            options.IdleTimeout = TimeSpan.FromHours(8);
        });
        if (sessions.Store == SessionStore.Database)
            builder.Services.AddSingleton<IDistributedCache, Data.DatabaseCache>();
        else
            builder.Services.AddDistributedMemoryCache();
        return builder;
    }

    /// <summary>
    /// On PostgreSQL, instances tell each other what changed (<see cref="Data.DatabaseNotifications"/>), so the
    /// per-request reads (the session's ticket and cut) and the global flag overrides are served from memory.
    /// </summary>
    public static IHostApplicationBuilder AddDatabaseNotifications(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(Data.DatabaseNotifications))) return builder;
        // Bound as the start check binds it: a bad value is reported there by key, never thrown here.
        var database = new Data.DatabaseOptions();
        SettingsBinder.Bind(builder.Configuration.GetSection(Data.DatabaseOptions.Section), database);
        var postgres = database.Provider == Data.DatabaseProvider.Postgres
            ? builder.Configuration.GetConnectionString(Data.DatabaseOptions.ConnectionStringName) is { Length: > 0 } connectionString ? connectionString : null
            : null;
        builder.Services.AddSingleton(sp => new Data.DatabaseNotifications(postgres, sp.GetRequiredService<ILogger<Data.DatabaseNotifications>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Data.DatabaseNotifications>());
        builder.Services.AddSingleton<Data.NotifiedCache>();
        return builder;
    }
}
