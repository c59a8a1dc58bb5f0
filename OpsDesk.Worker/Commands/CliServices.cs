using OpsDesk.Workflows.Temporal;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace OpsDesk.Worker.Commands;

/// <summary>
/// What commands take from outside the parser: the Temporal client, the terminal and the user.
/// <see cref="Default"/> is the real process; tests pass their own to <see cref="Cli.RunAsync"/>.
/// </summary>
public sealed class CliServices
{
    /// <summary>How long a command waits to reach Temporal before reporting it unavailable.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public static CliServices Default { get; } = new();

    /// <summary>Connects to Temporal with the resolved options (address, namespace, API key, TLS).</summary>
    public Func<TemporalOptions, CancellationToken, Task<ITemporalClient>> ConnectTemporal { get; init; } = ConnectAsync;

    /// <summary>
    /// The raw describe (pending activities with their attempt and last failure), which the SDK's
    /// typed description does not expose. Replaceable because a test client has no gRPC service.
    /// </summary>
    public Func<ITemporalClient, DescribeWorkflowExecutionRequest, RpcOptions, Task<DescribeWorkflowExecutionResponse>> DescribeRaw { get; init; } =
        (client, request, rpc) => client.WorkflowService.DescribeWorkflowExecutionAsync(request, rpc);

    /// <summary>Configuration values below the command line's (tests and dev mode set the task queue, UI URL, ...).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Where confirmations are read from.</summary>
    public TextReader Input { get; init; } = Console.In;

    /// <summary>Whether a person can answer a prompt (stdin is not redirected).</summary>
    public bool InputIsInteractive { get; init; } = !Console.IsInputRedirected;

    /// <summary>Whether stdout is a terminal: progress bars and colours only then.</summary>
    public bool OutputIsTerminal { get; init; } = !Console.IsOutputRedirected;

    /// <summary>Who runs the command, recorded on the events it writes.</summary>
    public string UserName { get; init; } = Environment.UserName;

    // The quiet runtime: the default one writes core warnings to stdout, into a command's --output json.
    private static Task<ITemporalClient> ConnectAsync(TemporalOptions o, CancellationToken ct) =>
        TemporalConnect.ConnectAsync(o, ConnectTimeout, ct, QuietTemporalRuntime.Instance);
}
