namespace OpsDesk.Worker.Commands;

/// <summary>A duration as the command line writes it (<c>24h</c>), so help shows defaults that way too.</summary>
public readonly record struct CliDuration(TimeSpan Value)
{
    public override string ToString() => Durations.Format(Value);
}
