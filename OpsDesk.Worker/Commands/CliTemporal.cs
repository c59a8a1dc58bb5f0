using OpsDesk.Workflows.Temporal;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace OpsDesk.Worker.Commands;

/// <summary>
/// The Temporal side of a command: the resolved <c>Temporal:*</c> options, the connection (through
/// <see cref="CliServices.ConnectTemporal"/>), links into the Temporal UI, and how Temporal's errors read.
/// </summary>
public sealed class CliTemporal(TemporalOptions options, CliServices services)
{
    public TemporalOptions Options => options;

    /// <summary>Connects; throws what the connection threw (see <see cref="IsUnavailable"/>).</summary>
    public Task<ITemporalClient> ConnectAsync(CancellationToken ct) => services.ConnectTemporal(options, ct);

    /// <summary>The client, or null and why not (one line naming the address).</summary>
    public async Task<(ITemporalClient? Client, string? Error)> TryConnectAsync(CancellationToken ct)
    {
        try
        {
            return (await ConnectAsync(ct), null);
        }
        catch (Exception ex) when (IsUnavailable(ex) && !ct.IsCancellationRequested)
        {
            return (null, $"cannot reach Temporal at {options.Address}: {Describe(ex)}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"cannot reach Temporal at {options.Address}: timed out");
        }
    }

    /// <summary>The Temporal UI page of a workflow run (the latest run when <paramref name="runId"/> is null).</summary>
    public string WorkflowUrl(string workflowId, string? runId) => options.WorkflowUrl(workflowId, runId);

    /// <summary>Temporal could not be reached or refused the call (as opposed to a bug in this program).</summary>
    public static bool IsUnavailable(Exception ex) => TemporalErrors.IsTemporalFailure(ex);

    public static bool IsNotFound(Exception ex) => TemporalErrors.IsNotFound(ex);

    public static string Describe(Exception ex) => TemporalErrors.Describe(ex);

    /// <summary>A workflow status as the commands print it: running, failed, timed out, continued as new, ...</summary>
    public static string StatusName(WorkflowExecutionStatus status) => TemporalErrors.StatusName(status);
}
