namespace OpsDesk.Tests.Deploy;

/// <summary>Files of this repository, found from the test's output folder upwards.</summary>
internal static class RepoFiles
{
    private static readonly Lazy<string> RootDir = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "OpsDesk.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("OpsDesk.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootDir.Value;

    /// <summary>A repository path ("deploy/api.Dockerfile", "./deploy/x") as a full path.</summary>
    public static string Path(string relative) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, relative.Replace('/', System.IO.Path.DirectorySeparatorChar)));

    public static string Read(string relative) => File.ReadAllText(Path(relative));
}
