using OpsDesk.Worker.Commands;

namespace OpsDesk.Worker;

/// <summary>The worker executable (<c>opsdesk</c>): the worker host by default, ops subcommands otherwise.</summary>
internal static class WorkerProgram
{
    public static Task<int> Main(string[] args) => Cli.RunAsync(args);
}
