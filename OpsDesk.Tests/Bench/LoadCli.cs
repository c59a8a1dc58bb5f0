using System.Text.Json;
using OpsDesk.Bench;

namespace OpsDesk.Tests.Bench;

/// <summary>Runs <c>opsdesk-bench</c> in-process and captures its exit code and output.</summary>
public static class LoadCli
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json() => JsonDocument.Parse(Stdout).RootElement;
    }

    public static async Task<Run> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await BenchCli.RunAsync(args, stdout, stderr);
        return new Run(code, stdout.ToString(), stderr.ToString());
    }
}
