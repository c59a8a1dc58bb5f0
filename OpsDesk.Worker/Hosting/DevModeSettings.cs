namespace OpsDesk.Worker.Hosting;

/// <summary>What <c>opsdesk dev</c> was asked for on its command line.</summary>
/// <param name="Urls">Where the API listens (semicolon-separated, like ASP.NET's <c>urls</c>).</param>
/// <param name="DataDir">Root of dev mode's state: <c>postgres/</c>, <c>temporal.db</c>, the downloaded Temporal CLI.</param>
/// <param name="TemporalCliPath">An existing Temporal CLI to run the dev server with, instead of downloading one.</param>
public sealed record DevModeSettings(string Urls, string DataDir, string? TemporalCliPath)
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>
    /// The per-user data folder (<c>~/.local/share/opsdesk</c> on Linux). As root it is
    /// <c>/var/lib/opsdesk</c>: PostgreSQL then runs as the <c>postgres</c> user, which cannot
    /// reach into <c>/root</c>.
    /// </summary>
    public static string DefaultDataDir()
    {
        if (OperatingSystem.IsLinux() && Environment.UserName == "root")
            return "/var/lib/opsdesk";
        var baseDir = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        return Path.Combine(baseDir, "opsdesk");
    }
}
