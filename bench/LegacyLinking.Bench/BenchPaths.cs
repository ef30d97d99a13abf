namespace LegacyLinking.Bench;

/// <summary>Where things are: the repository (found upwards from the running binary, wherever BenchmarkDotNet built it).</summary>
public static class BenchPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The app's project folder: its appsettings.json (flags, connections) configures the benchmarked app.</summary>
    public static string WebProject => Path.Combine(RepoRoot, "web", "LegacyLinking.Web");

    /// <summary>Seeded databases kept between runs (seeding a million events takes a minute or two).</summary>
    public static string SeedFolder => Path.Combine(Path.GetTempPath(), "legacylinking-bench-seed");

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "LegacyLinking.sln"))) return directory.FullName;
        throw new InvalidOperationException($"LegacyLinking.sln not found above {AppContext.BaseDirectory}.");
    }
}
