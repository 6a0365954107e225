namespace WsAnalyzers.Tests.Verifiers;

/// <summary>Paths in the repository the tests read (docs, release tracking, README, ValidCode, samples).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WsAnalyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("WsAnalyzers.sln not found above " + AppContext.BaseDirectory);
    }
}
