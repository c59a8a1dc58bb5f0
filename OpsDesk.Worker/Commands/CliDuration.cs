namespace OpsDesk.Worker.Commands;

/// <summary>A duration option's value as <see cref="Durations"/> writes it (<c>24h</c>), so help shows defaults that way too.</summary>
public readonly record struct CliDuration(TimeSpan Value)
{
    public override string ToString() => Durations.Format(Value);
}
