namespace LegacyLinking.Tests.Infrastructure;

/// <summary>The repository's root folder (the one holding <c>LegacyLinking.sln</c>), above the test's binaries.</summary>
public static class RepositoryFolder
{
    public static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "LegacyLinking.sln"))) return folder.FullName;
        throw new InvalidOperationException("The repository root (LegacyLinking.sln) is not above " + AppContext.BaseDirectory);
    }
}
