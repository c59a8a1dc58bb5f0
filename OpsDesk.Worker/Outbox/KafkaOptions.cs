namespace OpsDesk.Worker.Outbox;

/// <summary>The <c>Kafka</c> configuration section: where the outbox relay publishes and how.</summary>
public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    /// <summary>Comma-separated host:port list. Unset: the relay is off and events stay in the database.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Prepended to the event type to form the default topic name (<c>ticket.created</c> → <c>{prefix}ticket.created</c>).</summary>
    public string TopicPrefix { get; set; } = "";

    /// <summary>Explicit topic per event type (<c>Kafka:Topics:ticket.created = tickets</c>); wins over the prefix rule.</summary>
    public Dictionary<string, string> Topics { get; set; } = new(StringComparer.Ordinal);

    /// <summary>librdkafka producer settings merged over the relay's defaults (<c>Kafka:Producer:linger.ms = 20</c>).</summary>
    public Dictionary<string, string> Producer { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Create missing topics (through <see cref="ITopicProvisioner"/>) before the first publish to them.</summary>
    public bool ProvisionTopics { get; set; } = true;

    /// <summary>Partitions of a topic the relay creates.</summary>
    public int Partitions { get; set; } = 6;

    /// <summary>Replication factor of a topic the relay creates; -1 takes the broker's default.</summary>
    public short ReplicationFactor { get; set; } = -1;

    /// <summary>Events read, produced and marked published per round trip.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Fallback wake-up when no notification arrives (LISTEN/NOTIFY is the fast path).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a standby relay tries to take the leader lock.</summary>
    public TimeSpan StandbyRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait after a failed publish; doubles per failure up to <see cref="MaxRetryBackoff"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between publish attempts while Kafka is down.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>librdkafka <c>message.timeout.ms</c>: a produce to an unreachable broker fails after this long.</summary>
    public int MessageTimeoutMs { get; set; } = 30_000;

    /// <summary>While Kafka is down, readiness is Degraded; after this long it is Unhealthy.</summary>
    public TimeSpan UnhealthyAfter { get; set; } = TimeSpan.FromMinutes(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(BootstrapServers);

    /// <summary>The topic an event type is published to.</summary>
    public string TopicFor(string eventType) =>
        Topics.TryGetValue(eventType, out var topic) && !string.IsNullOrWhiteSpace(topic) ? topic : TopicPrefix + eventType;
}
