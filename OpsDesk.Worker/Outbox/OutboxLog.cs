using Microsoft.Extensions.Logging;

namespace OpsDesk.Worker.Outbox;

internal static partial class OutboxLog
{
    [LoggerMessage(1, LogLevel.Information, "Kafka:BootstrapServers is not set: the outbox relay is off and events stay in ticket_events until it is configured.")]
    public static partial void RelayOff(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "Outbox relay is the leader for this database (epoch {Epoch}); publishing to {BootstrapServers}.")]
    public static partial void BecameLeader(ILogger logger, string bootstrapServers, long epoch);

    [LoggerMessage(3, LogLevel.Information, "Outbox relay is on standby: another worker holds the leader lock; retrying every {Interval}.")]
    public static partial void Standby(ILogger logger, TimeSpan interval);

    [LoggerMessage(4, LogLevel.Warning, "Kafka publishing failed; events accumulate in the database and are retried with backoff. Backlog {Backlog}. Error: {Error}")]
    public static partial void PublishingDown(ILogger logger, long backlog, string error);

    [LoggerMessage(5, LogLevel.Warning, "Kafka publishing still failing after {Elapsed}; backlog {Backlog}. Error: {Error}")]
    public static partial void PublishingStillDown(ILogger logger, TimeSpan elapsed, long backlog, string error);

    [LoggerMessage(6, LogLevel.Information, "Kafka publishing recovered after {Elapsed}; draining the backlog in order.")]
    public static partial void PublishingRecovered(ILogger logger, TimeSpan elapsed);

    [LoggerMessage(7, LogLevel.Warning, "Outbox relay lost its database session or could not reach the database; retrying in {Delay}.")]
    public static partial void DatabaseTrouble(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(8, LogLevel.Error, "The Kafka producer hit a fatal error ({Error}); recreating it.")]
    public static partial void ProducerFatal(ILogger logger, string error);

    [LoggerMessage(9, LogLevel.Debug, "librdkafka {Facility}: {Message}")]
    public static partial void Librdkafka(ILogger logger, string facility, string message);

    [LoggerMessage(10, LogLevel.Debug, "Published {Count} events up to id {LastId}.")]
    public static partial void BatchPublished(ILogger logger, int count, long lastId);

    [LoggerMessage(11, LogLevel.Error, "The Kafka producer could not be created: {Error}. Check Kafka:Producer:* settings.")]
    public static partial void ProducerConfigInvalid(ILogger logger, string error);

    [LoggerMessage(12, LogLevel.Warning, "Outbox relay lost the leadership of epoch {Epoch} (another relay took the lock); standing by.")]
    public static partial void LeadershipLost(ILogger logger, long epoch);

    [LoggerMessage(13, LogLevel.Information, "Outbox relay took the leader lock; waiting for the previous leader's last batch to be marked or to lapse.")]
    public static partial void WaitingForPredecessor(ILogger logger);

    [LoggerMessage(14, LogLevel.Error, "Event {EventId} of ticket {TicketId} parked: the broker will never take it ({Code}: {Reason}). Later events of the ticket wait; see `opsdesk events parked`.")]
    public static partial void EventParked(ILogger logger, long eventId, long ticketId, string code, string reason);

    [LoggerMessage(15, LogLevel.Debug, "Some events of a batch failed and wait at the head of their tickets: {Error}")]
    public static partial void PartialFailure(ILogger logger, string error);
}
