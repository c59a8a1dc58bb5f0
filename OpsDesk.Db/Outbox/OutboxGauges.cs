namespace OpsDesk.Db.Outbox;

/// <summary>The outbox as an operator watches it: events waiting, events parked, and how long the oldest has waited.</summary>
public sealed record OutboxGauges(long Backlog, long Parked, double OldestAgeSeconds);
