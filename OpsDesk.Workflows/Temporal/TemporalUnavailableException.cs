using Temporalio.Exceptions;

namespace OpsDesk.Workflows.Temporal;

/// <summary>Temporal could not be reached at <see cref="Address"/> (the connect failed or timed out).</summary>
public sealed class TemporalUnavailableException(string address, Exception inner)
    : TemporalException($"Temporal at {address} is unreachable: {inner.Message}", inner)
{
    public string Address { get; } = address;
}
