using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;

namespace OpsDesk.Worker.Outbox;

/// <summary>Creates missing topics with <c>Kafka:Partitions</c> and <c>Kafka:ReplicationFactor</c> through the admin API.</summary>
public sealed class KafkaTopicProvisioner(IOptions<KafkaOptions> options) : ITopicProvisioner, IDisposable
{
    private readonly Lock gate = new();
    private IAdminClient? admin;

    public async Task EnsureTopicsAsync(IReadOnlyCollection<string> topics, CancellationToken ct)
    {
        if (topics.Count == 0)
            return;
        var client = Admin();
        var timeout = TimeSpan.FromMilliseconds(Math.Min(options.Value.MessageTimeoutMs, 15_000));
        // GetMetadata blocks; keep it off the caller's thread.
        var metadata = await Task.Run(() => client.GetMetadata(timeout), ct);
        var existing = metadata.Topics.Where(t => !t.Error.IsError).Select(t => t.Topic).ToHashSet(StringComparer.Ordinal);
        var missing = topics.Where(t => !existing.Contains(t)).ToList();
        if (missing.Count == 0)
            return;
        try
        {
            await client.CreateTopicsAsync(
                missing.Select(t => new TopicSpecification { Name = t, NumPartitions = options.Value.Partitions, ReplicationFactor = options.Value.ReplicationFactor }),
                new CreateTopicsOptions { OperationTimeout = timeout, RequestTimeout = timeout });
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Another worker created them first.
        }
    }

    private IAdminClient Admin()
    {
        lock (gate)
        {
            return admin ??= new AdminClientBuilder(new AdminClientConfig { BootstrapServers = options.Value.BootstrapServers })
                .SetLogHandler((_, _) => { })
                .Build();
        }
    }

    public void Dispose() => admin?.Dispose();
}
