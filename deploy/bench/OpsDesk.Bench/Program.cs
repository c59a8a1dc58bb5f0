namespace OpsDesk.Bench;

/// <summary>The benchmark executable (<c>opsdesk-bench</c>); see deploy/bench/run.sh.</summary>
internal static class BenchProgram
{
    public static Task<int> Main(string[] args) => BenchCli.RunAsync(args);
}
