using System.Diagnostics;
using OpsDesk.Workflows.Triage.Retry;
using Spectre.Console;

namespace OpsDesk.Worker.Commands.Triage;

/// <summary>Runs one retry after another at <paramref name="rate"/> per second at most.</summary>
internal sealed class RetryPacer(double rate)
{
    private readonly TimeSpan interval = TimeSpan.FromSeconds(1 / rate);

    public async Task<List<RetryOutcome>> RunAsync(IReadOnlyList<long> targets, Func<long, CancellationToken, Task<RetryOutcome>> retry, Action? tick, CancellationToken ct)
    {
        var outcomes = new List<RetryOutcome>(targets.Count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < targets.Count; i++)
        {
            // A bounded rate: item i starts no earlier than i intervals after the first.
            var due = interval * i - clock.Elapsed;
            if (due > TimeSpan.Zero)
                await Task.Delay(due, ct);
            outcomes.Add(await retry(targets[i], ct));
            tick?.Invoke();
        }

        return outcomes;
    }

    /// <summary><see cref="RunAsync"/> under a progress bar (a terminal only).</summary>
    public async Task<List<RetryOutcome>> RunWithProgressAsync(
        IAnsiConsole console, string what, IReadOnlyList<long> targets, Func<long, CancellationToken, Task<RetryOutcome>> retry, CancellationToken ct)
    {
        List<RetryOutcome> outcomes = [];
        await console.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask(what, maxValue: targets.Count);
            outcomes = await RunAsync(targets, retry, () => task.Increment(1), ct);
        });
        return outcomes;
    }
}
