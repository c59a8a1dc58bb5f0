using System.ComponentModel.DataAnnotations;

namespace OpsDesk.Db;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Apply pending migrations when the API or worker starts.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Seconds a single SQL command may run.</summary>
    [Range(1, 3600, ErrorMessage = "Database:CommandTimeoutSeconds must be from 1 to 3600.")]
    public int CommandTimeoutSeconds { get; set; } = 30;
}
