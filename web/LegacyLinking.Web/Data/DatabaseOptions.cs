using LegacyLinking.Web.Hosting;
using Microsoft.Extensions.Options;

namespace LegacyLinking.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,

    /// <summary>PostgreSQL is also accepted under its full name.</summary>
    PostgreSQL = Postgres,
}

/// <summary>The <c>Database</c> section, with the connection string <c>ConnectionStrings:LegacyLinking</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "LegacyLinking";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}

/// <summary>PostgreSQL has no default database: its connection string is required.</summary>
public sealed class DatabaseOptionsValidator(IConfiguration configuration) : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
        options.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(configuration.GetConnectionString(DatabaseOptions.ConnectionStringName))
            ? ValidateOptionsResult.Fail(ConfigurationRules.Missing($"ConnectionStrings:{DatabaseOptions.ConnectionStringName}",
                "a PostgreSQL connection string when 'Database:Provider' is Postgres"))
            : ValidateOptionsResult.Success;
}
