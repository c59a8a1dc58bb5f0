using Confluent.Kafka;

namespace OpsDesk.Tests.Support;

/// <summary>
/// librdkafka's in-process mock cluster: real Kafka protocol on 127.0.0.1, no admin API (topics
/// auto-create with 4 partitions). The creating client must live as long as the cluster.
/// </summary>
public sealed class KafkaMockCluster : IDisposable
{
    private readonly IAdminClient creator;

    public KafkaMockCluster()
    {
        var config = new AdminClientConfig();
        config.Set("test.mock.num.brokers", "1");
        creator = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var broker = creator.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Single();
        Host = broker.Host;
        Port = broker.Port;
    }

    public string Host { get; }

    public int Port { get; }

    public string BootstrapServers => $"{Host}:{Port}";

    /// <summary>
    /// Every message in the topics, read from the start to the end of each partition (partition
    /// order kept). Call it once the producer's deliveries are acknowledged.
    /// </summary>
    public IReadOnlyList<ConsumeResult<string, string>> ReadAll(IEnumerable<string> topics)
    {
        var partitions = new List<TopicPartitionOffset>();
        foreach (var topic in topics)
        {
            var metadata = creator.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();
            if (metadata.Error.IsError)
                continue;
            partitions.AddRange(metadata.Partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
        }

        var results = new List<ConsumeResult<string, string>>();
        if (partitions.Count == 0)
            return results;
        using var consumer = NewConsumer(enablePartitionEof: true);
        consumer.Assign(partitions);
        var open = partitions.Select(p => p.TopicPartition).ToHashSet();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        try
        {
            while (open.Count > 0)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"did not reach the end of {string.Join(", ", open)}");
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result is null)
                    continue;
                if (result.IsPartitionEOF)
                    open.Remove(result.TopicPartition);
                else
                    results.Add(result);
            }
        }
        finally
        {
            consumer.Close();
        }

        return results;
    }

    /// <summary>A consumer for tests: short session so a restarted group does not wait long.</summary>
    public IConsumer<string, string> NewConsumer(bool enablePartitionEof = false) =>
        new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = "test-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = enablePartitionEof,
            SessionTimeoutMs = 2000,
            HeartbeatIntervalMs = 500,
        }).SetLogHandler((_, _) => { }).Build();

    public void Dispose() => creator.Dispose();
}
