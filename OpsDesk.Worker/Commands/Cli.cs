using System.CommandLine;
using OpsDesk.Worker.Commands.Agents;
using OpsDesk.Worker.Commands.Keys;
using OpsDesk.Worker.Commands.Triage;
using OpsDesk.Worker.Hosting;

namespace OpsDesk.Worker.Commands;

/// <summary>The command line of <c>opsdesk</c>. Exit codes: 0 ok, 1 failed, 2 bad usage.</summary>
public static class Cli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;

    /// <param name="services">Temporal client, terminal and user for the commands; tests pass their own.</param>
    public static RootCommand Build(CliServices? services = null)
    {
        var root = new RootCommand("OpsDesk worker and operations CLI. With no command, runs the worker host.");
        foreach (var option in CommonOptions.All)
            root.Options.Add(option);
        root.SetAction((parse, ct) => WorkerHost.RunAsync(parse, ct));
        root.Subcommands.Add(MigrateCommand.Build());
        root.Subcommands.Add(TriageCommand.Build(services));
        root.Subcommands.Add(EventsCommand.Build(services));
        root.Subcommands.Add(KeysCommand.Build());
        root.Subcommands.Add(AgentsCommand.Build());
        root.Subcommands.Add(DevCommand.Build());
        return root;
    }

    public static Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, CliServices? services = null) =>
        RunAsync(Build(services), args, stdout, stderr);

    /// <summary>Parses and runs <paramref name="args"/> against <paramref name="root"/>: bad usage is exit code 2 with one line per error.</summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var parse = root.Parse(args);
        var output = new InvocationConfiguration
        {
            Output = stdout ?? Console.Out,
            Error = stderr ?? Console.Error,
            // Ctrl+C / SIGTERM cancel the command's token; hosts get this long to stop what they
            // started (dev mode stops the API, PostgreSQL and Temporal).
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        };
        if (parse.Errors.Count > 0 && !IsHelp(args))
        {
            var err = stderr ?? Console.Error;
            foreach (var error in parse.Errors)
                await err.WriteLineAsync("error: " + error.Message);
            await err.WriteLineAsync("Run with --help for usage.");
            return BadUsage;
        }

        return await parse.InvokeAsync(output);
    }

    private static bool IsHelp(string[] args) => args.Any(a => a is "--help" or "-h" or "-?");
}
