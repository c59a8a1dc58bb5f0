using System.CommandLine;

namespace OpsDesk.Bench;

/// <summary>A command of <c>opsdesk-bench</c>: its options, and the action it runs.</summary>
public abstract class BenchCommand : Command
{
    protected BenchCommand(string name, string description)
        : base(name, description) => SetAction(RunAsync);

    protected void AddOptions(params Option[] options)
    {
        foreach (var option in options)
            Options.Add(option);
    }

    protected abstract Task<int> RunAsync(ParseResult parse, CancellationToken ct);
}
