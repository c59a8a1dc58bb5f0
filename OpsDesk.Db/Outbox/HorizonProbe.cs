namespace OpsDesk.Db.Outbox;

/// <summary>What <see cref="OutboxStore.ProbeHorizonAsync"/> saw.</summary>
public sealed record HorizonProbe(long MaxId, IReadOnlyCollection<string> Writers);
