using Temporalio.Runtime;

namespace OpsDesk.Worker.Commands;

/// <summary>
/// A Temporal core runtime that logs nothing. The default one writes its warnings to stdout, which
/// would corrupt a command's <c>--output json</c>; commands report failures in their results instead.
/// One runtime per process, as the SDK asks.
/// </summary>
internal static class QuietTemporalRuntime
{
    private static readonly Lazy<TemporalRuntime> Runtime = new(() =>
        new TemporalRuntime(new TemporalRuntimeOptions { Telemetry = new TelemetryOptions { Logging = null } }));

    public static TemporalRuntime Instance => Runtime.Value;
}
