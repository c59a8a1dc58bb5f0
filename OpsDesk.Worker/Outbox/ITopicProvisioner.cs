namespace OpsDesk.Worker.Outbox;

/// <summary>Makes sure topics exist before the relay publishes to them. Tests replace it: the librdkafka mock cluster has no admin API.</summary>
public interface ITopicProvisioner
{
    Task EnsureTopicsAsync(IReadOnlyCollection<string> topics, CancellationToken ct);
}
