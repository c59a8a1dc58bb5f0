using System.Diagnostics;
using System.Text.Json.Nodes;
using OpsDesk.Worker.Commands;

namespace OpsDesk.Tests.Worker.Commands;

/// <summary>The built <c>opsdesk</c> executable as a separate process: what a script piping its output sees.</summary>
public sealed class OpsdeskProcessTests
{
    [Test]
    public async Task Replay_as_a_process_writes_only_json_to_stdout_and_exits_1_on_a_nondeterministic_history()
    {
        var (code, stdout, _) = await RunAsync("triage", "replay", "--history", HistoryFixtures.PathOf(HistoryFixtures.Nondeterministic), "--output", "json");

        Assert.That(code, Is.EqualTo(Cli.Failed));
        var json = JsonNode.Parse(stdout)!; // the native core's own log must not land on stdout
        Assert.That(json["items"]![0]!["error"]!.GetValue<string>(), Does.StartWith("[TMPRL1100] Nondeterminism error:"));
    }

    [Test]
    public async Task Bad_usage_as_a_process_exits_2()
    {
        var (code, _, stderr) = await RunAsync("triage", "retry");

        Assert.That(code, Is.EqualTo(Cli.BadUsage));
        Assert.That(stderr, Does.Contain("nothing to retry"));
    }

    [Test]
    public async Task Help_of_the_worker_lists_the_operations_commands_and_no_benchmark_tooling()
    {
        var (code, stdout, _) = await RunAsync("--help");

        Assert.That(code, Is.EqualTo(Cli.Ok));
        Assert.That(CommandNames(stdout), Is.EquivalentTo(new[] { "migrate", "triage", "events", "keys", "agents", "dev" }), stdout);
    }

    /// <summary>The names System.CommandLine's help lists under "Commands:".</summary>
    internal static IReadOnlyList<string> CommandNames(string help) =>
        help.Split('\n')
            .SkipWhile(line => !line.StartsWith("Commands:", StringComparison.Ordinal))
            .Skip(1)
            .TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal))
            .Select(line => line.Trim().Split(' ')[0])
            .ToList();

    internal static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "opsdesk.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("opsdesk did not exit within 120 s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
