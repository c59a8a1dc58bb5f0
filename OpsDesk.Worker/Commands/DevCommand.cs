using System.CommandLine;
using OpsDesk.Worker.Hosting;

namespace OpsDesk.Worker.Commands;

/// <summary><c>opsdesk dev</c>: the whole system on one machine, without Docker (see <see cref="DevMode"/>).</summary>
public static class DevCommand
{
    public static Command Build()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where the API listens.",
            DefaultValueFactory = _ => DevModeSettings.DefaultUrls,
        };
        urls.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>() ?? "";
            foreach (var url in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(url.Replace("://+:", "://localhost:", StringComparison.Ordinal).Replace("://*:", "://localhost:", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                    || uri.Scheme is not ("http" or "https"))
                {
                    result.AddError($"--urls: '{url}' is not an http(s) URL such as {DevModeSettings.DefaultUrls}.");
                }
            }
        });

        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Where dev mode keeps PostgreSQL's data and Temporal's state (the user's data folder by default).",
            DefaultValueFactory = _ => DevModeSettings.DefaultDataDir(),
        };

        var temporalCli = new Option<FileInfo>("--temporal-cli")
        {
            Description = "Run the Temporal dev server with this 'temporal' binary instead of downloading one.",
        };
        temporalCli.AcceptExistingOnly();

        var command = new Command("dev", "Run PostgreSQL, Temporal, the API and the worker on this machine (no Docker). Ctrl+C stops everything.")
        {
            urls,
            dataDir,
            temporalCli,
        };
        command.SetAction((parse, ct) =>
        {
            var settings = new DevModeSettings(
                parse.GetValue(urls)!,
                Path.GetFullPath(parse.GetValue(dataDir)!),
                parse.GetValue(temporalCli)?.FullName);
            return DevMode.RunAsync(
                settings,
                CommonOptions.Overrides(parse),
                parse.InvocationConfiguration.Output,
                parse.InvocationConfiguration.Error,
                ct);
        });
        return command;
    }
}
