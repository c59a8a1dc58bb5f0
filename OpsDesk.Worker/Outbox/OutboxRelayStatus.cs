namespace OpsDesk.Worker.Outbox;

/// <summary>The relay's state as the readiness check and tests see it. Thread-safe.</summary>
public sealed class OutboxRelayStatus
{
    private readonly Lock gate = new();
    private RelayRole role = RelayRole.Starting;
    private DateTimeOffset? failingSince;
    private string? lastError;
    private long published;
    private long failures;
    private long cycles;
    private long parked;

    public RelayRole Role { get { lock (gate) return role; } }

    /// <summary>Set while publishing fails (Kafka or the database unreachable); null when healthy.</summary>
    public DateTimeOffset? FailingSince { get { lock (gate) return failingSince; } }

    public string? LastError { get { lock (gate) return lastError; } }

    /// <summary>Events this process marked published.</summary>
    public long Published => Interlocked.Read(ref published);

    /// <summary>Poison events this process parked.</summary>
    public long Parked => Interlocked.Read(ref parked);

    /// <summary>Failed publish attempts since start.</summary>
    public long Failures => Interlocked.Read(ref failures);

    /// <summary>Completed leader cycles (probe, read, publish); lets tests wait for "the relay has looked".</summary>
    public long Cycles => Interlocked.Read(ref cycles);

    internal void SetRole(RelayRole value)
    {
        lock (gate)
            role = value;
    }

    /// <summary>Records a failure; true when this is the transition from healthy to failing.</summary>
    internal bool RecordFailure(string error, DateTimeOffset now)
    {
        Interlocked.Increment(ref failures);
        lock (gate)
        {
            lastError = error;
            if (failingSince is not null)
                return false;
            failingSince = now;
            return true;
        }
    }

    /// <summary>Records success; returns how long it had been failing, when it had.</summary>
    internal TimeSpan? RecordSuccess(int count, DateTimeOffset now)
    {
        Interlocked.Add(ref published, count);
        lock (gate)
        {
            if (failingSince is not { } since)
                return null;
            failingSince = null;
            lastError = null;
            return now - since;
        }
    }

    internal void CycleDone() => Interlocked.Increment(ref cycles);

    internal void RecordParked(int count) => Interlocked.Add(ref parked, count);
}
