namespace OpsDesk.Db;

/// <summary>
/// The one rule for timestamps handed around as <see cref="DateTime"/>: UTC stays, local time is
/// converted, and an unspecified kind is UTC (what PostgreSQL's timestamptz and Temporal's
/// payloads mean).
/// </summary>
public static class UtcTime
{
    public static DateTime Of(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    public static DateTimeOffset Offset(DateTime value) => new(Of(value));

    public static DateTimeOffset? Offset(DateTime? value) => value is { } v ? Offset(v) : null;
}
