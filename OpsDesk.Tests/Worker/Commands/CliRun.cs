using System.Text.Json.Nodes;
using OpsDesk.Worker.Commands;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace OpsDesk.Tests.Worker.Commands;

/// <summary>Runs the real command line in-process with captured output, a given Temporal client and stdin.</summary>
public static class CliRun
{
    public const string Operator = "test-operator";

    public sealed record Result(int ExitCode, string Out, string Err)
    {
        public JsonNode Json => JsonNode.Parse(Out) ?? throw new InvalidOperationException("no JSON on stdout: " + Err);

        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
    }

    /// <param name="temporal">The client commands get; null: Temporal is unreachable.</param>
    /// <param name="connectionString">Passed as --connection-string; null passes none.</param>
    public static async Task<Result> RunAsync(
        ITemporalClient? temporal, string? connectionString, string[] args, string stdin = "", bool interactive = false, bool terminal = false)
    {
        var services = new CliServices
        {
            ConnectTemporal = (options, _) => temporal is null
                ? throw new RpcException(RpcException.StatusCode.Unavailable, $"tcp connect error: {options.Address}: connection refused", null)
                : Task.FromResult(temporal),
            DescribeRaw = (_, request, _) => temporal is RecordingTemporalClient recording
                ? recording.DescribeRawAsync(request)
                : throw new InvalidOperationException("no raw describe without a recording client"),
            Input = new StringReader(stdin),
            InputIsInteractive = interactive,
            OutputIsTerminal = terminal,
            UserName = Operator,
        };
        var all = connectionString is null ? args : [.. args, "--connection-string", connectionString];
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Cli.RunAsync(all, stdout, stderr, services);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }
}
