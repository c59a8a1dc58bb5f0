namespace OpsDesk.Worker.Outbox;

/// <summary>What this process's outbox relay is doing.</summary>
public enum RelayRole
{
    Starting,

    /// <summary>Kafka:BootstrapServers is unset: nothing is published, events stay in the database.</summary>
    Off,

    /// <summary>Another worker holds the leader lock; this one retries taking it.</summary>
    Standby,

    /// <summary>This worker is the one active relay.</summary>
    Leader,
}
